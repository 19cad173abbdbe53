"""The agenda by e-mail: the double opt-in journey, the digests and their
unsubscribe headers (RFC 8058), purge, erasure, and that subscribers stay
staff-only data."""

import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client

from events.models import AgendaSubscription, DigestDelivery
from home.models import Partner
from tests.factories.events import EventTypeFactory, create_event, paris
from tests.pages import mail_links, text

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]

# A Monday: the weekly digest of week 2026-W50 is due.
MONDAY = paris(2026, 12, 7, 7, 0)
SUBSCRIBE = "/agenda/abonnement/"


def links(message):
    return mail_links(message)


def confirm_link(message):
    return next(u for u in links(message) if "/abonnement/confirmer/" in u)


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def events(agenda):
    clx = Partner.objects.get(slug="clx")
    town = Partner.objects.get(slug="mediatheque-wimille")
    install = EventTypeFactory(slug="install-party", name="Install party")
    breakfast = EventTypeFactory()
    return {
        "clx": create_event(
            agenda,
            title="Install party de décembre",
            start=paris(2026, 12, 9, 14, 0),
            partners=[clx],
            event_type=install,
        ),
        "town": create_event(
            agenda,
            title="Petit déj' à la médiathèque",
            start=paris(2026, 12, 12, 9, 30),
            partners=[town],
            event_type=breakfast,
        ),
        "next_week": create_event(
            agenda,
            title="Conférence de la semaine suivante",
            start=paris(2026, 12, 16, 18, 0),
            partners=[clx],
            event_type=breakfast,
        ),
    }


def subscribe(client, email="lea@exemple.fr", **extra):
    data = {"email": email, "frequency": "hebdomadaire", "website": "", **extra}
    return client.post(SUBSCRIBE, data)


def subscribe_and_confirm(client, email="lea@exemple.fr", **extra):
    mail.outbox.clear()
    assert subscribe(client, email, **extra).status_code == 302
    response = client.post(path_of(confirm_link(mail.outbox[-1])))
    assert response.status_code == 200
    return AgendaSubscription.objects.confirmed().get(email=email)


# -- Double opt-in -----------------------------------------------------------------


def test_form_page_is_french_linked_from_agenda_and_footer(client, agenda):
    response = client.get(SUBSCRIBE)
    assert response.status_code == 200
    html = text(response)
    assert "Recevoir l'agenda par e-mail" in html
    assert "Chaque semaine (le lundi)" in html and "Chaque mois (le 1er)" in html
    assert "Club Linux" in html  # partners to choose from
    agenda_page = text(client.get("/agenda/"))
    assert agenda_page.count('href="/agenda/abonnement/"') >= 2  # agenda + footer


def test_nothing_is_confirmed_until_the_button_is_pressed(client, events):
    response = subscribe(client, partners=["clx"])
    assert response.status_code == 302
    assert response["Location"] == "/agenda/abonnement/envoye/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lea@exemple.fr"]
    assert "Confirmez" in message.subject
    html = message.alternatives[0][0]
    link = confirm_link(message)
    assert link in html
    assert not AgendaSubscription.objects.confirmed().exists()

    # A mail scanner opening the link confirms nothing.
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "Confirmer mon abonnement" in text(page)
    assert 'method="post"' in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    assert not AgendaSubscription.objects.confirmed().exists()

    done = client.post(path_of(link))
    assert done.status_code == 200
    assert "Abonnement confirmé" in text(done)
    subscription = AgendaSubscription.objects.get()
    assert subscription.is_confirmed
    assert [p.slug for p in subscription.partners.all()] == ["clx"]

    # The link served once: a second use says what to do, in French.
    again = client.post(path_of(link))
    assert again.status_code == 404
    assert "inscrivez-vous à nouveau" in text(again)


def test_malformed_link_gets_a_french_page(client, agenda):
    # (A NUL byte never reaches the view: portal.inputguard answers 400.)
    for key in ("abc", "x" * 300, "%C3%A9t%C3%A9", "a.b-c_d"):
        response = client.get(f"/agenda/abonnement/confirmer/{key}/")
        assert response.status_code == 404
        assert "Lien de confirmation inutilisable" in text(response)
        assert "inscrivez-vous à nouveau" in text(response)


def test_known_and_new_addresses_get_the_same_answer(client, events):
    subscribe_and_confirm(client, "connu@exemple.fr")
    mail.outbox.clear()
    known = subscribe(client, "connu@exemple.fr")
    new = subscribe(client, "nouveau@exemple.fr")
    assert known.status_code == new.status_code == 302
    assert known["Location"] == new["Location"]
    assert known.cookies.keys() == new.cookies.keys()
    # Each receives a fresh confirmation.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "connu@exemple.fr",
        "nouveau@exemple.fr",
    ]
    first, second = mail.outbox
    assert first.subject == second.subject
    assert first.body.replace(confirm_link(first), "") == second.body.replace(
        confirm_link(second), ""
    )


def test_subscribing_again_replaces_the_choices_once_confirmed(client, events):
    subscribe_and_confirm(client, frequency="hebdomadaire")
    subscribe_and_confirm(client, frequency="mensuelle", event_types=["install-party"])
    subscription = AgendaSubscription.objects.get()
    assert subscription.frequency == "mensuelle"
    assert [t.slug for t in subscription.event_types.all()] == ["install-party"]


def test_honeypot_is_thanked_and_dropped(client, agenda):
    response = subscribe(client, website="http://spam.example")
    assert response.status_code == 302
    assert mail.outbox == []
    assert not AgendaSubscription.objects.exists()


def test_bad_input_is_explained_next_to_the_field(client, agenda):
    response = client.post(
        SUBSCRIBE, {"email": "pas-une-adresse", "frequency": "tous-les-jours"}
    )
    assert response.status_code == 400
    html = text(response)
    assert "Cette adresse e-mail n'est pas valide" in html
    assert "Choisissez « chaque semaine » ou « chaque mois »" in html
    unknown = subscribe(client, partners=["inconnu"])
    assert unknown.status_code == 400
    assert "Ce partenaire n'existe pas" in text(unknown)
    assert mail.outbox == []


def test_subscription_form_is_rate_limited(client, agenda, settings):
    settings.RATE_LIMITS = {"agenda-subscription-address": (3, 3600)}
    statuses = [subscribe(client, f"p{n}@exemple.fr").status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    assert "Trop de demandes" in text(subscribe(client, "x@exemple.fr"))


def test_one_address_gets_few_confirmation_mails(client, agenda, settings):
    settings.RATE_LIMITS = {"agenda-subscription-email": (2, 86400)}
    statuses = [subscribe(client, "cible@exemple.fr").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_unconfirmed_requests_are_deleted_after_seven_days(client, events):
    with time_machine.travel(paris(2026, 11, 28, 10, 0), tick=False):
        subscribe(client, "oubli@exemple.fr")
        subscribe_and_confirm(client, "fidele@exemple.fr")
    with time_machine.travel(paris(2026, 12, 4, 10, 0), tick=False):
        call_command("send_agenda_digests", stdout=open("/dev/null", "w"))
        assert AgendaSubscription.objects.filter(email="oubli@exemple.fr").exists()
    with time_machine.travel(MONDAY, tick=False):
        call_command("send_agenda_digests", stdout=open("/dev/null", "w"))
    assert list(AgendaSubscription.objects.values_list("email", flat=True)) == [
        "fidele@exemple.fr"
    ]


# -- Digests -------------------------------------------------------------------------


def run_digests(moment=MONDAY):
    with time_machine.travel(moment, tick=False):
        call_command("send_agenda_digests", stdout=open("/dev/null", "w"))


def test_weekly_digest_lists_the_week_with_unsubscribe_headers(client, events):
    subscribe_and_confirm(client)
    mail.outbox.clear()
    run_digests()
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["lea@exemple.fr"]
    assert "la semaine du 7 décembre" in digest.subject
    assert "Install party de décembre" in digest.body
    assert "Petit déj' à la médiathèque" in digest.body
    assert "semaine suivante" not in digest.body
    html, mimetype = digest.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="fr">' in html and "<h2" in html
    unsubscribe = digest.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(
        r"<http://testserver/agenda/abonnement/desabonner/.+/>", unsubscribe
    )
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in digest.body and unsubscribe[1:-1] in html
    message = digest.message()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_period_is_never_sent_twice(client, events):
    subscribe_and_confirm(client)
    mail.outbox.clear()
    run_digests()
    run_digests(paris(2026, 12, 7, 8, 0))
    run_digests(paris(2026, 12, 10, 8, 0))
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.get().period == "2026-W50"
    run_digests(paris(2026, 12, 14, 7, 0))
    assert len(mail.outbox) == 2
    assert "semaine suivante" in mail.outbox[1].body


def test_resubscribing_does_not_resend_the_period(client, events):
    subscribe_and_confirm(client)
    run_digests()
    with time_machine.travel(paris(2026, 12, 8, 9, 0), tick=False):
        subscribe_and_confirm(client)
    mail.outbox.clear()
    run_digests(paris(2026, 12, 9, 7, 0))
    assert mail.outbox == []


def test_digest_follows_the_chosen_partners_and_types(client, events):
    subscribe_and_confirm(client, "clx@exemple.fr", partners=["clx"])
    subscribe_and_confirm(
        client, "petitdej@exemple.fr", event_types=["petit-dej-du-libre"]
    )
    mail.outbox.clear()
    run_digests()
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "Install party" in by_address["clx@exemple.fr"]
    assert "Petit déj'" not in by_address["clx@exemple.fr"]
    assert "Petit déj'" in by_address["petitdej@exemple.fr"]
    assert "Install party" not in by_address["petitdej@exemple.fr"]


def test_monthly_digest_covers_the_month(client, events):
    subscribe_and_confirm(client, frequency="mensuelle")
    mail.outbox.clear()
    run_digests(paris(2026, 12, 1, 7, 0))
    assert len(mail.outbox) == 1
    assert "décembre 2026" in mail.outbox[0].subject
    assert "semaine suivante" in mail.outbox[0].body
    run_digests(paris(2026, 12, 20, 7, 0))
    assert len(mail.outbox) == 1


def test_one_click_unsubscribe_needs_no_csrf_token(events):
    client = Client(enforce_csrf_checks=True)
    subscribe_and_confirm(Client())
    mail.outbox.clear()
    run_digests()
    url = mail.outbox[0].extra_headers["List-Unsubscribe"][1:-1]
    # Opening the link (a scanner, a preview) erases nothing.
    page = client.get(path_of(url))
    assert page.status_code == 200 and "Me désabonner" in text(page)
    assert AgendaSubscription.objects.exists()
    response = client.post(
        path_of(url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Vous êtes désabonné" in text(response)
    assert not AgendaSubscription.objects.exists()
    assert not DigestDelivery.objects.exists()
    # The link keeps answering politely.
    assert client.post(path_of(url)).status_code == 200
    assert "Déjà désabonné" in text(client.get(path_of(url)))


def test_forged_unsubscribe_token_is_refused(client, agenda):
    response = client.post("/agenda/abonnement/desabonner/MTI:forged/")
    assert response.status_code == 404
    assert "Lien de désabonnement inutilisable" in text(response)


# -- Staff only, erasure ---------------------------------------------------------------


def test_subscribers_never_appear_in_public_answers(client, events):
    subscribe_and_confirm(client, "secret.abonne@exemple.fr")
    for url in (
        "/api/v2/pages/?search=secret",
        "/recherche/?q=secret",
        "/sitemap.xml",
        "/agenda/agenda.ics",
        "/agenda/rss/",
        "/agenda/agenda.json",
        "/agenda/widget/",
        "/agenda/diffuser/",
        "/agenda/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"secret.abonne@" not in response.content, url


def test_admin_subscribers_are_for_mediatheque_staff_only(client, events, role_user):
    AgendaSubscription.objects.create(email="=1+1@exemple.fr", confirmed_at=MONDAY)
    AgendaSubscription.objects.create(email="attente@exemple.fr")
    url = "/admin/agenda/abonnes/"
    assert client.get(url).status_code == 302  # login
    roles = role_user.roles
    client.force_login(role_user(roles.CLX_EDITORS))
    assert client.get(url).status_code in (302, 403)
    assert client.get(url + "?export=csv").status_code in (302, 403)
    client.force_login(role_user(roles.MEDIATHEQUE_EDITORS))
    response = client.get(url)
    assert response.status_code == 200
    assert "1 confirmé(s), 1 en attente de confirmation" in text(response)
    export = client.get(url + "?export=csv")
    assert export.status_code == 200
    content = b"".join(export.streaming_content).decode()
    assert "'=1+1@exemple.fr" in content
    assert "\n=1+1" not in content


def test_admin_share_page_shows_the_snippets(client, events, role_user):
    client.force_login(role_user(role_user.roles.CLX_EDITORS))
    response = client.get("/admin/agenda/diffuser/")
    assert response.status_code == 200
    assert "&lt;iframe src=&quot;http://testserver/agenda/widget/?partenaire=clx" in (
        response.content.decode()
    )


def test_erasure_command_removes_every_trace(client, events):
    subscribe_and_confirm(client, "efface@exemple.fr")
    subscribe(client, "efface@exemple.fr")
    run_digests()
    out = []

    class Out:
        def write(self, line):
            out.append(line)

        def flush(self):
            pass

    call_command("erase_agenda_subscriber", "Efface@Exemple.fr", stdout=Out())
    assert "effacé" in "".join(out)
    assert not AgendaSubscription.objects.exists()
    assert not DigestDelivery.objects.exists()
