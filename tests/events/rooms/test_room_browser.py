"""The agreement's journey in a real browser, on the demo data: a CLX editor
asks for the salle from the admin home, the moderator confirms from the
admin home, the editor drafts the event from the booking; an overlapping
request is refused; the demo event whose expenses wait cannot be published
until the town authorises them and CLX agrees to the shared one."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from events.models import Booking, EventPage
from tests.browser_helpers import admin_login, fill_date
from tests.pages import mail_links

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def third_saturday_in(months):
    day = timezone.localdate().replace(day=1)
    for _ in range(months):
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    day += datetime.timedelta(days=(5 - day.weekday()) % 7)
    return day + datetime.timedelta(weeks=2)


def ask(page, base_url, purpose, day, start, end):
    page.goto(f"{base_url}/admin/salles/demandes/new/")
    page.select_option("#id_room", label="Salle d'animation (Médiathèque de Wimille)")
    page.fill("#id_purpose", purpose)
    fill_date(page, "#id_start", f"{day:%d/%m/%Y} {start}")
    fill_date(page, "#id_end", f"{day:%d/%m/%Y} {end}")
    page.fill("#id_expected_attendance", "14")
    page.click("button:has-text('Créer')")
    page.wait_for_load_state()


def publish(page, base_url, event):
    page.goto(f"{base_url}/admin/pages/{event.pk}/edit/")
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("button[name=action-publish]").click()
    page.wait_for_load_state()
    return page.locator(".messages").inner_text()


def decide_line(page, base_url, line, comment=""):
    page.goto(f"{base_url}/admin/engagements/inspect/{line.pk}/")
    form = page.locator("form[action$='decider/']").first
    form.locator("input[value=give]").check()
    if comment:
        form.locator("textarea").fill(comment)
    form.locator("button").click()
    page.wait_for_load_state()


def test_ask_confirm_draft_refuse_overlap_and_publish_once_agreed(browser, demo_data):
    page, base_url = browser
    day = third_saturday_in(3)

    admin_login(page, base_url, "clx-redaction")
    page.click("a:has-text('Demander la salle')")
    ask(page, base_url, "Install party de printemps", day, "14:30", "17:00")
    assert "Demande enregistrée" in page.locator(".messages").inner_text()
    booking = Booking.objects.get(purpose="Install party de printemps")
    assert booking.status == Booking.Status.PENDING

    admin_login(page, base_url, "moderation")
    page.click("a:has-text('Install party de printemps')")
    page.check("input[value=confirm]")
    page.fill("textarea[name=comment]", "Avec plaisir, la clé est à l'accueil.")
    page.click("button:has-text('Enregistrer la décision')")
    page.wait_for_load_state()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED

    admin_login(page, base_url, "clx-redaction")
    page.goto(f"{base_url}/admin/salles/demandes/inspect/{booking.pk}/")
    page.click("button:has-text('Créer le brouillon')")
    page.wait_for_load_state()
    assert "Salle d'animation" in page.locator("#id_room option:checked").inner_text()
    assert page.locator("#id_start").input_value() == f"{day:%d/%m/%Y} 14:30"

    ask(page, base_url, "Réunion CLX", day, "16:00", "17:30")
    errors = page.locator("main").inner_text()
    assert "Chevauche la réservation « Install party de printemps »" in errors
    assert not Booking.objects.filter(purpose="Réunion CLX").exists()

    event = EventPage.objects.get(title="Atelier « Un smartphone sans Google »")
    town_line, shared_line = event.commitments.order_by("pk")
    admin_login(page, base_url, "moderation")
    assert "Publication impossible" in publish(page, base_url, event)
    decide_line(page, base_url, town_line)
    decide_line(page, base_url, shared_line)
    assert "attend l'accord de CLX" in publish(page, base_url, event)
    assert not EventPage.objects.get(pk=event.pk).live

    admin_login(page, base_url, "clx-coordination")
    decide_line(page, base_url, shared_line, "CLX paie la moitié.")
    admin_login(page, base_url, "moderation")
    assert "a été publiée" in publish(page, base_url, event)
    assert EventPage.objects.get(pk=event.pk).live


def open_as_recipients(page, base_url, messages, purpose):
    """Each link of each mail, opened in Chromium by each of its recipients
    (logged in with their demo account): the request is shown, never
    « vous n'avez pas les autorisations »."""
    accounts = {user.email: user.username for user in get_user_model().objects.all()}
    opened = 0
    for message in messages:
        urls = mail_links(message)
        assert urls, message.body
        for recipient in message.to:
            admin_login(page, base_url, accounts[recipient])
            for url in urls:
                path = "/" + url.split("://", 1)[1].split("/", 1)[1]
                response = page.goto(base_url + path)
                assert response.status == 200, (recipient, url)
                text = page.locator("main").inner_text()
                assert "autorisations" not in text, (recipient, url)
                assert purpose in text, (recipient, url)
                opened += 1
    return opened


def test_every_room_mail_link_opens_for_its_recipient_in_chromium(browser, demo_data):
    page, base_url = browser
    day = third_saturday_in(4)
    purpose = "Cryptoparty « vie privée » de l'œuvre"
    mail.outbox.clear()
    admin_login(page, base_url, "clx-redaction")
    ask(page, base_url, purpose, day, "14:30", "17:00")
    booking = Booking.objects.get(purpose=purpose)
    assert open_as_recipients(page, base_url, mail.outbox, purpose) >= 2

    # The moderator decides from the page the mail opened.
    mail.outbox.clear()
    admin_login(page, base_url, "moderation")
    page.goto(f"{base_url}/admin/salles/demandes/inspect/{booking.pk}/")
    page.check("input[value=confirm]")
    page.click("button:has-text('Enregistrer la décision')")
    page.wait_for_load_state()
    assert open_as_recipients(page, base_url, mail.outbox, purpose) >= 2

    # CLX cancels; the médiathèque's link opens the cancelled booking.
    mail.outbox.clear()
    admin_login(page, base_url, "clx-redaction")
    page.goto(f"{base_url}/admin/salles/demandes/inspect/{booking.pk}/")
    page.fill("#id_cancel_comment", "L'intervenant est malade.")
    page.locator("button:has-text('Annuler la réservation')").last.click()
    page.wait_for_load_state()
    assert "Réservation annulée" in page.locator(".messages").inner_text()
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
    assert open_as_recipients(page, base_url, mail.outbox, purpose) >= 1
