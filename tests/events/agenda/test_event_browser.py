"""What only a browser shows on the agenda: axe-core's WCAG 2.1 AA rules on
the list, the month grid and an event page, filters used with the keyboard
and no horizontal scroll on a phone."""

import datetime

import pytest
from django.utils import timezone

from events.models import EventIndexPage
from home.models import Partner
from tests.axe import axe_violations
from tests.factories.events import create_event, paris

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def agenda_events(home_page, built_once):
    agenda = EventIndexPage.objects.get()
    today = timezone.localdate()
    first = today.replace(day=1)
    start = paris(first.year, first.month, 1, 9, 30)

    def make():
        create_event(
            agenda,
            title="Les petits dej' du libre",
            slug="petits-dej",
            start=start,
            recurrence="weekly",
            partners=list(Partner.objects.all()),
            tags=["logiciels libres"],
            cancellations=[(first + datetime.timedelta(days=14), "Salle indisponible")],
            access_motor=True,
            accessibility_notes="Grands écrans disponibles.",
        )
        create_event(
            agenda,
            title="Install party",
            slug="install-party",
            start=start + datetime.timedelta(days=40, hours=4, minutes=30),
            audience="debutants",
        )

    built_once("agenda-events", make)
    return first


@pytest.mark.parametrize(
    "url",
    ["/agenda/", "/agenda/?periode=passes", "GRID", "/agenda/petits-dej/"],
)
def test_agenda_pages_pass_axe_wcag_aa(browser, agenda_events, url):
    page, base = browser
    if url == "GRID":
        url = f"/agenda/calendrier/{agenda_events.year}/{agenda_events.month}/"
    page.goto(base + url)
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert axe_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, url


def test_filter_with_the_keyboard_without_javascript(browser, agenda_events):
    page, base = browser
    page.goto(base + "/agenda/")
    page.focus("#filtre-public")
    page.select_option("#filtre-public", "debutants")
    page.keyboard.press("Tab")  # « Organisé par »
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Filtrer"
    page.keyboard.press("Enter")
    page.wait_for_url("**/agenda/?*public=debutants*")
    titles = page.locator(".event-list .card__title").all_inner_texts()
    assert titles == ["Install party"]


def test_month_grid_reads_as_a_list_on_a_phone(browser, agenda_events):
    page, base = browser
    page.set_viewport_size({"width": 375, "height": 800})
    first = agenda_events
    page.goto(base + f"/agenda/calendrier/{first.year}/{first.month}/")
    cancelled = page.locator(".month-grid__event--cancelled").first
    assert "annulé" in cancelled.inner_text()
    # Days without events are hidden; the weekday is spelled out instead.
    assert page.locator(".month-grid__weekday").first.is_visible()
