"""The pages a secret link opens, in a real browser, as their owner uses
them: book through the public form, open the link of the mail actually
sent, press the buttons. Chromium posts these forms with the `Origin` the
page's referrer policy allows; a page that said « no-referrer » got « Origin:
null » and Django's 403 (issue 24#2). Every such page sends one header,
`Referrer-Policy: same-origin`."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Appointment, Registration
from tests.factories.appointments import appointment_event, book_url
from tests.pages import mail_link_path
from tests.registration_helpers import form_url, make_event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _link(base, marker):
    """The link of the last mail sent whose path holds `marker`, on the
    test server."""
    return base + mail_link_path(mail.outbox[-1], marker)


def _no_forbidden(page):
    text = page.inner_text("body")
    assert "403" not in text and "Origin checking failed" not in text, text[:300]


def test_appointment_moved_then_cancelled_from_the_mails_link(browser, home_page):
    page, base = browser
    start = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    event = appointment_event(home_page, start=start)
    page.goto(base + book_url(event))
    page.check("input[name=slot] >> nth=0")
    page.check("#id_device_0")
    page.check("#id_need_1")
    page.fill("#id_name", "Françoise L'Hôte-Dupré")
    page.fill("#id_email", "francoise@exemple.fr")
    page.check("#id_consent")
    page.click(".appointment-form button[type=submit]")
    page.wait_for_selector("h1")
    appointment = Appointment.objects.get()
    first_slot = appointment.slot_start

    response = page.goto(_link(base, "/agenda/rendez-vous/"))
    assert response.headers["referrer-policy"] == "same-origin"
    assert page.locator("meta[name=referrer]").count() == 0
    page.check("form:has(input[value=move]) input[name=slot] >> nth=0")
    page.click("text=Déplacer mon rendez-vous >> nth=-1")
    page.wait_for_selector("h1")
    _no_forbidden(page)
    assert page.inner_text("h1") == "Rendez-vous déplacé"
    appointment.refresh_from_db()
    assert appointment.is_booked and appointment.slot_start != first_slot
    assert mail.outbox[-1].subject.startswith("Rendez-vous déplacé")

    page.goto(_link(base, "/agenda/rendez-vous/"))
    page.click("text=Oui, annuler mon rendez-vous")
    page.wait_for_selector("h1")
    _no_forbidden(page)
    assert page.inner_text("h1") == "Rendez-vous annulé"
    appointment.refresh_from_db()
    assert appointment.is_cancelled


def test_registration_managed_then_cancelled_from_the_mails_links(browser, home_page):
    page, base = browser
    event = make_event(home_page, capacity=5)
    page.goto(base + form_url(event))
    page.select_option("#id_occurrence", index=1)
    page.fill("#id_name", "Loïc Lefèvre")
    page.fill("#id_email", "loic@exemple.fr")
    page.check("#id_consent")
    page.click(".registration-form button[type=submit]")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Confirmez votre inscription"
    response = page.goto(_link(base, "/inscription/confirmer/"))
    assert response.headers["referrer-policy"] == "same-origin"
    page.click("button:has-text('Confirmer mon inscription')")
    page.wait_for_selector("h1:has-text('Inscription confirmée')")
    _no_forbidden(page)
    registration = Registration.objects.get()
    assert registration.is_confirmed

    manage = [m for m in mail.outbox if "/inscription/gerer/" in m.body]
    if manage:  # the manage link, where the confirmation mail carries one
        mail.outbox.append(manage[-1])
        response = page.goto(_link(base, "/inscription/gerer/"))
        assert response.headers["referrer-policy"] == "same-origin"
        page.select_option("#id_seats", "2")
        page.click("text=Enregistrer le nombre de places")
        page.wait_for_selector("h1")
        _no_forbidden(page)
        registration.refresh_from_db()
        assert registration.seats == 2

    response = page.goto(_link(base, "/inscription/annuler/"))
    assert response.headers["referrer-policy"] == "same-origin"
    page.click("text=Oui, annuler mon inscription")
    page.wait_for_selector("h1")
    _no_forbidden(page)
    assert page.inner_text("h1") == "Inscription annulée"
    registration.refresh_from_db()
    assert registration.is_cancelled


def test_agenda_subscription_confirmed_from_the_mails_link(browser, home_page):
    page, base = browser
    page.goto(base + "/agenda/abonnement/")
    page.fill("#id_email", "oceane@exemple.fr")
    page.click("main form button[type=submit]")
    page.wait_for_selector("h1")
    response = page.goto(_link(base, "/abonnement/confirmer/"))
    assert response.headers["referrer-policy"] == "same-origin"
    page.click("main form button[type=submit]")
    page.wait_for_selector("h1")
    _no_forbidden(page)
    assert page.inner_text("h1") == "Abonnement confirmé"
