"""Links in mails open where the portal is served: the demo Site takes the
address `make run` serves (WAGTAILADMIN_BASE_URL, exported by the Makefile
from HOST and PORT), so a new user's confirm and cancel links are not dead."""

import datetime
import html
import io
import os
import re
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from events.models import Booking, EventPage
from portal import roles
from portal.factories import create_site_tree
from resources import awarding
from resources.models import BadgeRequest
from tests.admin_forms import (
    admin_create_page,
    admin_edit_page,
    event_fields,
    messages_of,
)
from tests.factories.appointments import appointment_event, book_url, booking_data, key
from tests.factories.badges import create_badge_class, create_path, path_index
from tests.factories.events import create_event, paris
from tests.factories.rooms import create_room
from tests.factories.volunteers import CharterVersionFactory, listed_volunteer
from tests.pages import mail_links
from tests.registration_helpers import confirm_link
from tests.room_helpers import post_room_request, room_request_data

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def served_demo(live_server, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    settings.ALLOWED_HOSTS = ["*"]
    create_site_tree()
    return live_server.url


def _open(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (localhost)
        return response.status, response.read().decode()


def test_demo_site_answers_on_the_served_address(served_demo):
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == served_demo


def test_registration_mail_links_open_on_the_served_host(served_demo):
    from events.models import EventIndexPage

    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    event = create_event(EventIndexPage.objects.get(), start=start, capacity=5)
    occurrence = event.occurrences(start=timezone.now())[0]
    response = Client().post(
        f"{event.url}inscription/",
        {
            "occurrence": occurrence.key,
            "name": "Camille Martin",
            "email": "camille@exemple.fr",
            "phone": "",
            "seats": "1",
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 200, response.content[:500]
    (asked,) = mail.outbox
    confirm = mail_links(asked, "/inscription/confirmer/")[0]
    assert confirm.startswith(served_demo + "/")
    status, body = _open(confirm)
    assert status == 200 and "Confirmer mon inscription" in body
    path = confirm.removeprefix(served_demo)
    assert Client().post(path, HTTP_ORIGIN=served_demo).status_code == 200
    message = mail.outbox[-1]
    cancel = mail_links(message, "/inscription/annuler/")[0]
    event_link = mail_links(message, event.slug)[0]
    for url in (cancel, event_link):
        assert url.startswith(served_demo + "/")
        status, _body = _open(url)
        assert status == 200


def test_subscription_confirmation_link_opens_on_the_served_host(served_demo):
    response = Client().post(
        "/agenda/abonnement/",
        {"email": "lea@exemple.fr", "frequency": "mensuelle", "website": ""},
    )
    assert response.status_code == 302
    (link,) = mail_links(mail.outbox[0], "/abonnement/confirmer/")
    assert link.startswith(served_demo + "/")
    status, body = _open(link)
    assert status == 200 and "Confirmer mon abonnement" in body


def test_make_run_exports_its_address_to_the_demo_loader():
    out = subprocess.run(  # noqa: S603
        ["make", "-n", "-p", "run", "HOST=127.0.0.1", "PORT=8123"],  # noqa: S607
        cwd=ROOT,
        # Run under `make test`, the parent make's exports would stand in for
        # the Makefile's own definition: read the Makefile as a user would.
        env={
            key: value
            for key, value in os.environ.items()
            if key not in {"WAGTAILADMIN_BASE_URL", "MAKEFLAGS", "MAKELEVEL", "MFLAGS"}
        },
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert "export WAGTAILADMIN_BASE_URL" in out or re.search(
        r"^WAGTAILADMIN_BASE_URL = http://\$\(HOST\):\$\(PORT\)", out, re.M
    )
    assert "runserver 127.0.0.1:8123" in out


# -- Every link in every mail opens, for its recipient, the page it names ----------
#
# Each family of mails is triggered the way the site triggers it (public forms,
# admin URLs as the role concerned, the scheduled commands), the mails are read
# as the task queue delivered them (mail.outbox), and each link on the site's
# own host is opened by each recipient: logged in as the account holding that
# address, or anonymous when no account does (the public).

LINK = re.compile(r"https?://[^\s\"<>']+")
NOW = paris(2026, 11, 2, 10, 0)
ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def staff(portal_roles, settings):
    settings.ALLOWED_HOSTS = ["*"]
    return {role: portal_roles(role) for role in roles.ROLES}


def links_of(message):
    """Every link of the message's text and HTML parts, on the site's hosts."""
    texts = [message.body] + [
        html.unescape(content)
        for content, mimetype in getattr(message, "alternatives", [])
        if mimetype == "text/html"
    ]
    texts += [
        value.strip("<>")
        for name, value in message.extra_headers.items()
        if name == "List-Unsubscribe"
    ]
    ours = {urlsplit(site.root_url).netloc for site in Site.objects.all()}
    ours.add(urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc)
    found = {url.rstrip(".,;)»") for text in texts for url in LINK.findall(text)}
    return sorted(url for url in found if urlsplit(url).netloc in ours)


def open_as(client, url, recipient):
    """The page a link names, as its recipient opens it."""
    client.logout()
    account = (
        get_user_model().objects.filter(email__iexact=recipient, is_active=True).first()
    )
    if account is not None:
        client.force_login(account)
    parts = urlsplit(url)
    return client.get(
        parts.path + (f"?{parts.query}" if parts.query else ""),
        HTTP_HOST=parts.netloc,
        follow=True,
    )


class Inbox:
    """The mails delivered since the last look: each is read, and its links
    followed, when it arrives, as people do (a link whose action was used
    since, a cancelled registration's, rightly answers « already done »)."""

    def __init__(self):
        self.seen = len(mail.outbox)

    def new(self):
        messages = mail.outbox[self.seen :]
        self.seen = len(mail.outbox)
        return messages


def assert_every_link_opens(client, messages, *, at_least=1):
    """Each link of each message opens (200) for each of its recipients, on
    the page it names: not the login page, not the admin's home where Wagtail
    sends whoever it refuses."""
    messages = list(messages)
    assert len(messages) >= at_least
    failures = []
    opened = 0
    for message in messages:
        found = links_of(message)
        assert found, f"« {message.subject} » has no link to the site"
        for recipient in message.to:
            for url in found:
                response = open_as(client, url, recipient)
                final = response.request["PATH_INFO"]
                refused = (
                    response.status_code != 200
                    or "/login/" in final
                    or (final == "/admin/" and urlsplit(url).path != "/admin/")
                )
                if refused:
                    failures.append(
                        f"« {message.subject} » → {recipient}: {url} "
                        f"answers {response.status_code} at {final}"
                    )
                opened += 1
    assert not failures, "\n".join(failures)
    return opened


def test_room_mail_links_open_for_clx_and_the_mediatheque(client, frozen, staff):
    salle = create_room(
        slots=[
            (paris(2026, 11, 7, 9, 0), paris(2026, 11, 7, 12, 30), "monthly_weekday")
        ]
    )
    clx = staff[roles.CLX_COORDINATION]
    moderation = staff[roles.MODERATION]
    inbox = Inbox()

    def ask(purpose, day):
        response = post_room_request(
            client,
            clx,
            room_request_data(
                salle,
                paris(day.year, day.month, day.day, 9, 30),
                paris(day.year, day.month, day.day, 12, 0),
                purpose=purpose,
                details="",
                expected_attendance="10",
            ),
        )
        assert response.status_code == 302, messages_of(response)
        assert_every_link_opens(client, inbox.new(), at_least=2)
        return Booking.objects.get(purpose=purpose)

    def act(user, name, booking, data):
        client.force_login(user)
        client.post(reverse(name, args=(booking.pk,)), data, **ORIGIN)
        assert_every_link_opens(client, inbox.new())

    confirmed = ask("Install party « Noël libre »", datetime.date(2026, 12, 5))
    declined = ask("Petit déj' de novembre", datetime.date(2026, 11, 7))
    withdrawn = ask("Atelier œuvres libres", datetime.date(2027, 2, 6))
    act(moderation, "room_bookings:decide", confirmed, {"decision": "confirm"})
    act(
        moderation,
        "room_bookings:decide",
        declined,
        {"decision": "decline", "comment": "Inventaire."},
    )
    act(clx, "room_bookings:withdraw", withdrawn, {})
    act(moderation, "room_bookings:cancel", confirmed, {"comment": "Travaux."})
    subjects = {message.subject.split(" :")[0] for message in mail.outbox}
    assert subjects == {
        "Demande de salle",
        "Salle confirmée",
        "Salle refusée",
        "Demande de salle retirée",
        "Réservation de salle annulée",
    }


def test_registration_mail_links_open_for_the_public(client, frozen, staff, agenda):
    event = create_event(
        agenda,
        title="Conférence « sécurité numérique : les bons réflexes »",
        start=paris(2026, 11, 20, 18, 0),
        capacity=1,
    )
    occurrence = event.occurrences(start=NOW)[0]
    inbox = Inbox()

    def register(name, email):
        response = client.post(
            f"{event.url}inscription/",
            {
                "occurrence": occurrence.key,
                "name": name,
                "email": email,
                "phone": "",
                "seats": "1",
                "consent": "on",
                "website": "",
            },
            **ORIGIN,
        )
        assert response.status_code == 200
        (asked,) = inbox.new()
        assert_every_link_opens(client, [asked])
        assert client.post(confirm_link(asked), **ORIGIN).status_code == 200
        (message,) = inbox.new()
        assert_every_link_opens(client, [message])
        return message

    received = register("Zoé Lefèvre", "zoe@exemple.fr")
    register("Noël Dupré", "noel@exemple.fr")  # on the waiting list
    (cancel,) = [url for url in links_of(received) if "/inscription/annuler/" in url]
    client.logout()
    assert client.post(urlsplit(cancel).path, **ORIGIN).status_code in (200, 302)
    promoted = inbox.new()
    assert [m.to for m in promoted] == [["noel@exemple.fr"]]
    assert_every_link_opens(client, promoted)
    with time_machine.travel(paris(2026, 11, 19, 18, 0), tick=False):
        call_command("send_registration_reminders", stdout=io.StringIO())
        (reminder,) = inbox.new()
        assert_every_link_opens(client, [reminder])


def test_appointment_mail_links_open_for_the_public(client, frozen, staff, home_page):
    event = appointment_event(home_page)
    slot = event.occurrences(start=NOW)[0].start
    inbox = Inbox()
    response = client.post(
        book_url(event), booking_data(key(slot), name="Françoise L'Hôte"), **ORIGIN
    )
    assert response.status_code == 200
    (confirmed,) = inbox.new()
    assert_every_link_opens(client, [confirmed])
    (manage,) = [u for u in links_of(confirmed) if "/rendez-vous/" in u]
    later = slot + datetime.timedelta(minutes=30)
    client.post(urlsplit(manage).path, {"action": "move", "slot": key(later)}, **ORIGIN)
    (moved,) = inbox.new()
    assert_every_link_opens(client, [moved])
    with time_machine.travel(later - datetime.timedelta(hours=20), tick=False):
        call_command("send_appointment_reminders", stdout=io.StringIO())
        (reminder,) = inbox.new()
        assert_every_link_opens(client, [reminder])
    client.post(urlsplit(manage).path, {"action": "cancel"}, **ORIGIN)
    cancelled = inbox.new()
    assert len(cancelled) == 1
    # What a cancellation mail links to (the event, the privacy page) opens.
    links = [u for u in links_of(cancelled[0]) if "/rendez-vous/" not in u]
    if links:
        for url in links:
            assert open_as(client, url, cancelled[0].to[0]).status_code == 200


def test_subscription_mail_links_open_for_the_public(client, frozen, staff, agenda):
    create_event(
        agenda, title="Install party de décembre", start=paris(2026, 11, 11, 14, 0)
    )
    inbox = Inbox()
    response = client.post(
        "/agenda/abonnement/",
        {"email": "lea@exemple.fr", "frequency": "hebdomadaire", "website": ""},
        **ORIGIN,
    )
    assert response.status_code == 302
    (confirmation,) = inbox.new()
    assert_every_link_opens(client, [confirmation])
    (confirm,) = [u for u in links_of(confirmation) if "/confirmer/" in u]
    client.post(urlsplit(confirm).path, **ORIGIN)
    with time_machine.travel(paris(2026, 11, 9, 7, 0), tick=False):
        call_command("send_agenda_digests", stdout=io.StringIO())
        (digest,) = inbox.new()
        assert_every_link_opens(client, [digest])


def test_badge_mail_links_open_for_staff_and_learners(client, frozen, staff, home_page):
    badge = create_badge_class(slug="premiers-pas", name="Premiers pas")
    create_path(path_index(home_page), title="Premiers pas", badge_class=badge)
    inbox = Inbox()
    for name, email in [("Zoé", "zoe@exemple.fr"), ("Noël", "noel@exemple.fr")]:
        response = client.post(
            "/badges/premiers-pas/demande/",
            {
                "name": name,
                "email": email,
                "evidence_text": "J'ai écrit une lettre avec LibreOffice.",
                "evidence_url": "",
                "consent": "on",
                "show_name": "on",
                "website": "",
            },
            REMOTE_ADDR=f"192.0.2.{len(name)}",
            **ORIGIN,
        )
        assert response.status_code == 302
        # The learner's acknowledgement may hold no link; staff's notice does.
        assert_every_link_opens(client, [m for m in inbox.new() if links_of(m)])
    moderation = staff[roles.MODERATION]
    first, second = BadgeRequest.objects.order_by("pk")
    awarding.approve_request(first, moderation)
    assert_every_link_opens(client, inbox.new())
    awarding.decline_request(second, moderation, "Ajoutez une capture d'écran.")
    assert len(inbox.new()) == 1


def test_workflow_mail_links_open_for_authors_and_moderators(
    client, frozen, staff, agenda, event_type
):
    author = staff[roles.CLX_EDITORS]
    moderation = staff[roles.MODERATION]
    inbox = Inbox()
    client.force_login(author)
    response = admin_create_page(
        client,
        agenda,
        EventPage,
        event_fields("Atelier « libérez votre ordinateur »", event_type),
    )
    assert response.status_code == 302, messages_of(response)
    page = EventPage.objects.get(title__startswith="Atelier")

    def submit():
        client.force_login(author)
        admin_edit_page(client, page, {}, action="submit")
        page.refresh_from_db()
        assert_every_link_opens(client, inbox.new())

    def moderate(action, comment):
        client.force_login(moderation)
        state = page.current_workflow_task_state
        client.post(
            reverse(
                "wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk)
            ),
            {"comment": comment},
        )
        assert_every_link_opens(client, inbox.new())

    submit()
    moderate("reject", "Précisez le matériel, merci.")
    submit()
    moderate("approve", "")
    assert EventPage.objects.get(pk=page.pk).live


def test_volunteer_contact_and_password_reset_links_open(client, frozen, staff):
    volunteer = listed_volunteer(
        CharterVersionFactory(), display_name="Camille", email="camille@prive.invalid"
    )
    inbox = Inbox()
    client.post(
        f"/benevoles/{volunteer.pk}/contacter/",
        {
            "name": "Jean Visiteur",
            "email": "jean@exemple.invalid",
            "message": "Bonjour, pouvez-vous m'aider à installer Linux samedi ?",
            "website": "",
        },
        **ORIGIN,
    )
    (contact,) = inbox.new()
    if links_of(contact):
        assert_every_link_opens(client, [contact])
    client.post(
        reverse("wagtailadmin_password_reset"),
        {"email": staff[roles.CLX_COORDINATION].email},
        **ORIGIN,
    )
    (reset,) = inbox.new()
    assert_every_link_opens(client, [reset])
