"""The printed programme and a poster as a visitor's browser shows them:
axe-clean at 1280 and 375 px, nothing wider than a phone, and the print
stylesheet hides the screen-only tools."""

import datetime

import pytest
from django.utils import timezone

from events.models import EventIndexPage
from tests.axe import axe_violations
from tests.factories.events import create_event, paris

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SLUG = "atelier-réparer-son-ordinateur"


@pytest.fixture
def printed(home_page, built_once):
    agenda = EventIndexPage.objects.get()
    today = timezone.localdate()
    start = paris(today.year, today.month, 1, 14, 0) + datetime.timedelta(days=35)
    create_event(
        agenda,
        title="Atelier « Réparer son ordinateur » à l'œil",
        slug=SLUG,
        start=start,
        recurrence="weekly",
        recurrence_count=6,
        capacity=8,
    )
    return start


@pytest.mark.parametrize("which", ["programme", "affiche"])
def test_printed_sheets_are_accessible_on_a_phone_and_a_screen(browser, printed, which):
    page, base = browser
    url = (
        f"/agenda/programme/{printed.year}/{printed.month}/"
        if which == "programme"
        else f"/agenda/{SLUG}/affiche/"
    )
    page.goto(base + url)
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert axe_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, url
    page.emulate_media(media="print")
    assert not page.locator(".sheet-tools").is_visible()
    assert page.locator("svg.qr").is_visible()
