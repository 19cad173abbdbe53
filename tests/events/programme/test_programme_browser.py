"""The printed programme and a poster as a visitor's browser shows them:
axe-clean at 1280 and 375 px, nothing wider than a phone, and the print
stylesheet hides the screen-only tools."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

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


URLS = {
    "affiche": f"/agenda/{SLUG}/affiche/",
    "affiche-a3": f"/agenda/{SLUG}/affiche/?format=A3",
}
SIZES = {"affiche": (595, 842), "affiche-a3": (842, 1191)}


@pytest.mark.parametrize("which", ["programme", "affiche", "affiche-a3"])
def test_printed_sheets_are_accessible_on_a_phone_and_a_screen(browser, printed, which):
    page, base = browser
    url = URLS.get(which, f"/agenda/programme/{printed.year}/{printed.month}/")
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
    if which in SIZES:
        # Printed from the browser: one sheet of its size, the A3 one the
        # A4 layout enlarged.
        page.set_viewport_size({"width": 1280, "height": 800})
        reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == SIZES[which]
