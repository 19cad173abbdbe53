"""Every public page type of the demo site is valid HTML for the Nu HTML
checker (vnu.jar, the W3C validator's engine): the home, each index, each
detail page type, the forms with their errors, the search page, the 404.

One run of the checker over all the pages; any error fails the test, with the
page, the line and the checker's message. Needs Java and the `vnu-jar` npm
package (`npm ci --ignore-scripts` at the top of the project, as `.ci/run`
does); without them the test is skipped, or fails when `NU_CHECK_REQUIRED`
is set (CI sets it). `VNU_JAR` may point to another vnu.jar."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, get_page_models

from events.appointments import rules as appointment_rules
from events.models import Appointment, EventPage, Registration
from events.registrations import links as registration_links
from resources.models import BadgeAssertion, BadgeClass
from tests.factories.badges import award
from volunteers.models import Volunteer, VolunteerIndexPage

JAVA = shutil.which("java")
VNU_JAR = Path(
    os.environ.get("VNU_JAR")
    or Path(settings.BASE_DIR) / "node_modules/vnu-jar/build/dist/vnu.jar"
)

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]


@pytest.fixture
def nu_checker():
    missing = []
    if JAVA is None:
        missing.append("Java (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        missing.append(f"{VNU_JAR} (npm ci --ignore-scripts)")
    if missing:
        message = "Nu HTML checker indisponible : " + ", ".join(missing)
        if os.environ.get("NU_CHECK_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)


def fetch(client, label, url, method="get", data=None):
    response = getattr(client, method)(url, data or {})
    assert response.status_code < 500, (label, url, response.status_code)
    return label, url, response.content.decode()


def with_form(client, label, url):
    """The form empty, then sent empty: both pages, errors shown."""
    return [
        fetch(client, label, url),
        fetch(client, f"{label} (erreurs)", url, method="post"),
    ]


def public_pages(client):
    """(label, url, html): one page of each public type, the forms with their
    errors, the search page, the month grid, the 404."""
    pages = []
    seen = set()
    live = Page.objects.live().public().specific().filter(depth__gt=1)
    for page in live.order_by("path"):
        if type(page) not in seen:
            seen.add(type(page))
            pages.append(fetch(client, type(page).__name__, page.url))

    # The agenda's other view: every coming date (« par date »).
    pages.append(fetch(client, "Agenda par date", "/agenda/?vue=dates"))

    events = [page for page in live if isinstance(page, EventPage)]
    for event in events:
        url = reverse("events:registration", kwargs={"slug": event.slug})
        if b"<form" in client.get(url).content:
            pages += with_form(client, "Inscription", url)
            break
    else:
        pytest.fail("Aucun événement de la démo n'ouvre ses inscriptions.")
    registration = Registration.objects.filter(
        status=Registration.Status.CONFIRMED
    ).first()
    pages.append(
        fetch(
            client,
            "Annuler son inscription",
            reverse(
                "events:registration_cancel",
                args=[registration_links.cancel_token(registration)],
            ),
        )
    )

    pages += appointment_pages(client)

    badge = BadgeClass.objects.order_by("pk").first()
    pages += with_form(
        client,
        "Demande de badge",
        reverse("resources:request_badge", args=[badge.slug]),
    )
    pages.append(
        fetch(
            client,
            "Demande de badge envoyée",
            reverse("resources:request_sent", args=[badge.slug]),
        )
    )
    assertion = BadgeAssertion.objects.first() or award(badge)
    pages.append(
        fetch(
            client,
            "Vérification d'un badge",
            reverse("resources:assertion_verify", args=[assertion.uid]),
        )
    )

    directory = VolunteerIndexPage.objects.live().get()
    volunteer = (
        Volunteer.objects.publicly_listed()
        .filter(accepts_contact=True)
        .exclude(email="")
        .first()
    )
    pages += with_form(
        client,
        "Contacter un bénévole",
        directory.url + directory.reverse_subpage("contact", args=[volunteer.pk]),
    )
    pages.append(
        fetch(
            client,
            "Message envoyé à un bénévole",
            directory.url
            + directory.reverse_subpage("contact_sent", args=[volunteer.pk]),
        )
    )

    today = timezone.localdate()
    pages += [
        fetch(client, "Recherche vide", reverse("search")),
        fetch(client, "Recherche", reverse("search") + "?q=imprimante"),
        fetch(client, "Recherche sans résultat", reverse("search") + "?q=zzzzzz"),
        fetch(
            client,
            "Calendrier du mois",
            reverse("events:month", args=[today.year, today.month]),
        ),
        fetch(client, "Page introuvable (404)", "/cette-page-n-existe-pas/"),
    ]
    return pages


def appointment_pages(client):
    """The booking form (empty, with errors, a full slot), the answer, the
    « gérer mon rendez-vous » page and a refused link."""
    event = EventPage.objects.live().get(appointments_enabled=True)
    url = reverse("events:appointment_book", args=[event.slug])
    free = appointment_rules.next_free_slots(event)
    full = next(
        slot
        for day in appointment_rules.bookable(event)
        for slot in day.slots
        if not slot.free
    )
    data = {
        "device": "ordinateur",
        "need": "photos",
        "name": "Nina Validatrice",
        "email": "nina@exemple.fr",
        "consent": "on",
    }
    pages = with_form(client, "Prendre rendez-vous", url)
    pages.append(
        fetch(
            client,
            "Rendez-vous : créneau complet",
            url,
            "post",
            data | {"slot": full.key},
        )
    )
    pages.append(
        fetch(
            client, "Rendez-vous enregistré", url, "post", data | {"slot": free[0].key}
        )
    )
    appointment = Appointment.objects.get(email="nina@exemple.fr")
    manage = reverse(
        "events:appointment_manage", args=[appointment_rules.manage_token(appointment)]
    )
    pages.append(fetch(client, "Gérer mon rendez-vous", manage))
    pages.append(
        fetch(
            client, "Rendez-vous déplacé (erreur)", manage, "post", {"action": "move"}
        )
    )
    pages.append(fetch(client, "Lien de rendez-vous invalide", manage + "x/"))
    return pages


def test_every_public_page_type_is_valid_html(nu_checker, client, demo_data, tmp_path):
    pages = public_pages(client)
    # Every page type of the portal's apps is among them.
    labels = {label for label, url, html in pages}
    assert {
        model.__name__
        for model in get_page_models()
        if model._meta.app_label in ("home", "events", "resources", "volunteers")
    } <= labels
    errors = run_vnu(tmp_path, pages)
    assert not errors, "\n".join(errors)


def run_vnu(tmp_path, pages):
    files = {}
    for number, (label, url, html) in enumerate(pages):
        path = tmp_path / f"page-{number:02d}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = f"{label} ({url})"
    # Our own command line: the installed Java, the jar and files we wrote.
    result = subprocess.run(  # noqa: S603
        [
            JAVA,
            "-Xss1m",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            *(str(tmp_path / name) for name in files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report on stderr; exit status 1 when it found errors.
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors = []
    for message in report["messages"]:
        url = message.get("url", "")
        where = files.get(url.rsplit("/", 1)[-1], url)
        errors.append(
            f"{where}, ligne {message.get('lastLine')}: {message['message']}"
            f" — {message.get('extract', '').strip()}"
        )
    return errors
