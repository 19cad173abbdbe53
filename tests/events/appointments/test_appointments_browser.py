"""The booking pages in a real browser: axe-core clean (blank, with errors,
the manage page, the event page's block), a slot booked with the keyboard
alone and without JavaScript, no horizontal scroll on a small phone."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events.appointments import rules
from events.models import Appointment, EventPage
from tests.axe import axe_violations
from tests.factories.appointments import appointment_event, book_url
from tests.pages import mail_link_path

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def event(home_page, built_once):
    start = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    return (
        built_once(
            "appointment-event", lambda: appointment_event(home_page, start=start)
        )
        or EventPage.objects.get()
    )


def test_booking_pages_pass_axe(browser, event):
    page, base = browser
    page.goto(base + book_url(event))
    assert axe_violations(page) == []
    page.click(".appointment-form button[type=submit]")
    # The form is sent to the server: wait for the answer before reading it.
    page.wait_for_selector("text=Choisissez l'horaire de votre rendez-vous.")
    assert "Choisissez l'horaire de votre rendez-vous." in page.content()
    assert axe_violations(page) == []
    page.goto(base + event.url)
    assert page.locator("#rendez-vous-titre").count() == 1
    assert axe_violations(page) == []
    slot = rules.next_free_slots(event)[0]
    rules.book(
        event,
        slot.start,
        name="Léa",
        email="lea@exemple.fr",
        device="ordinateur",
        need="photos",
    )
    page.goto(base + mail_link_path(mail.outbox[0], "/agenda/rendez-vous/"))
    assert page.inner_text("h1") == "Gérer mon rendez-vous"
    assert axe_violations(page) == []


def test_book_with_the_keyboard_only_without_javascript(browser, event):
    page, base = browser
    page.goto(base + book_url(event))
    assert page.locator("script:not([type='application/ld+json'])").count() == 0
    page.focus("input[name=slot]")
    page.keyboard.press("Space")  # the first free time
    page.keyboard.press("ArrowRight")  # the next one
    page.focus("#id_device_0")
    page.keyboard.press("Space")
    page.focus("#id_need_1")
    page.keyboard.press("Space")
    for field, value in (("#id_name", "Léa Dupont"), ("#id_email", "lea@exemple.fr")):
        page.focus(field)
        page.keyboard.type(value)
    page.focus("#id_consent")
    page.keyboard.press("Space")
    page.focus(".appointment-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Rendez-vous confirmé"
    appointment = Appointment.objects.get()
    assert appointment.slot_start == rules.bookable(event)[0].slots[1].start
    assert (appointment.device, appointment.need) == ("ordinateur", "messagerie")
    assert axe_violations(page) == []


def test_no_horizontal_scroll_at_320px(browser, event):
    page, base = browser
    page.set_viewport_size({"width": 320, "height": 800})
    for target in (book_url(event), event.url):
        page.goto(base + target)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, target
