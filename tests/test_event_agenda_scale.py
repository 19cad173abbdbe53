"""The agenda stays readable and cheap when dates pile up: the past archive
is paged without counting all of history, a busy day of the month grid
shows three dates and links to the list of that day (``/agenda/?jour=``)."""

import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from events.models import EventCalendarEntry, EventIndexPage
from tests.factories.events import create_event, paris

pytestmark = pytest.mark.django_db

NOW = paris(2026, 11, 27, 10)


@pytest.fixture
def agenda(home_page):
    return EventIndexPage.objects.get()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def titles_in(html):
    return re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', html)


def text(response):
    return response.content.decode().replace("\xa0", " ")


def weekly_past(agenda, count):
    """One weekly event whose ``count`` dates are all over by NOW."""
    return create_event(
        agenda,
        title="Chaque mardi",
        start=paris(2025, 1, 7, 14, 0),
        recurrence="weekly",
        recurrence_count=count,
    )


def test_archive_pages_without_counting_all_history(client, agenda, frozen):
    weekly_past(agenda, 60)  # 5 pages of 12
    first = text(client.get("/agenda/?periode=passes"))
    assert len(titles_in(first)) == 12
    # Page 1 counts up to page 4 (3 pages ahead): the total is not known.
    assert "Page 1</span>" in first
    assert "Page 1 sur" not in first
    assert "Dates 1 à 12, des plus récentes aux plus anciennes" in first
    assert 'href="?periode=passes&amp;page=2" rel="next"' in first
    # Near the end the count is exact again.
    third = text(client.get("/agenda/?periode=passes&page=3"))
    assert "Page 3 sur 5" in third
    assert "60 dates" in third
    last = text(client.get("/agenda/?periode=passes&page=5"))
    assert len(titles_in(last)) == 12
    assert 'rel="next"' not in last
    # Past the end, or not a number, or absurdly deep: still a page.
    for page in ("99", "abc", "9" * 5000, "-3"):
        response = client.get("/agenda/?periode=passes", {"page": page})
        assert response.status_code == 200, page


def test_archive_count_reads_a_bounded_number_of_rows(client, agenda, frozen):
    weekly_past(agenda, 60)
    with CaptureQueriesContext(connection) as queries:
        client.get("/agenda/?periode=passes")
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts, "the archive counts its rows"
    # COUNT over a LIMITed sub-query: 4 pages of 12, plus one.
    assert all("LIMIT 49" in sql for sql in counts), counts


def test_busy_day_of_the_month_grid_links_to_that_day(client, agenda, frozen):
    for hour in (9, 10, 11, 14, 16):
        create_event(
            agenda, title=f"Atelier de {hour} h", start=paris(2026, 12, 5, hour, 0)
        )
    create_event(agenda, title="Autre jour", start=paris(2026, 12, 12, 14, 0))
    html = text(client.get("/agenda/calendrier/2026/12/"))
    # The caption still counts every date of the month.
    assert "<caption>Décembre 2026 : 6 rendez-vous</caption>" in html
    assert "9 h 00</span> Atelier de 9 h" in html
    assert "11 h 00</span> Atelier de 11 h" in html
    assert "Atelier de 14 h" not in html
    assert (
        '<a href="/agenda/?jour=2026-12-05">+ 2 autres rendez-vous'
        '<span class="visually-hidden"> le samedi 5 décembre</span></a>'
    ) in html
    assert "Autre jour" in html

    day = text(client.get("/agenda/?jour=2026-12-05"))
    assert "<h1>Rendez-vous du samedi 5 décembre 2026</h1>" in day
    assert titles_in(day) == [f"Atelier de {h} h" for h in (9, 10, 11, 14, 16)]
    assert "5 dates" in day
    assert 'href="/agenda/calendrier/2026/12/"' in day
    # The filters keep the day.
    assert '<input type="hidden" name="jour" value="2026-12-05">' in day


def test_day_of_the_past_and_an_empty_day(client, agenda, frozen):
    create_event(agenda, title="Il y a une semaine", start=paris(2026, 11, 20, 14, 0))
    past = text(client.get("/agenda/?jour=2026-11-20"))
    assert titles_in(past) == ["Il y a une semaine"]
    empty = text(client.get("/agenda/?jour=2026-11-21"))
    assert titles_in(empty) == []
    assert "Aucun rendez-vous ce jour-là." in empty


@pytest.mark.parametrize(
    "value",
    ["2026-13-01", "0001-01-01", "9999-12-31", "demain", "2026-12-5", "x" * 5000],
)
def test_a_bad_day_is_dropped_like_an_unknown_filter(client, agenda, frozen, value):
    create_event(agenda, title="Bientôt", start=paris(2026, 12, 20, 14, 0))
    response = client.get("/agenda/", {"jour": value})
    assert response.status_code == 200
    assert titles_in(text(response)) == ["Bientôt"]


def ics_titles(client):
    calendar = Calendar.from_ical(client.get("/agenda/agenda.ics").content)
    return sorted({str(v["SUMMARY"]) for v in calendar.walk("VEVENT")})


def test_agenda_ics_holds_the_events_of_its_window(client, agenda, frozen):
    create_event(agenda, title="Il y a un an", start=paris(2025, 11, 20, 14, 0))
    create_event(agenda, title="Il y a deux mois", start=paris(2026, 9, 25, 14, 0))
    # Began long ago, still has dates within the window.
    create_event(
        agenda,
        title="Chaque mois depuis un an",
        start=paris(2025, 12, 6, 9, 30),
        recurrence="monthly_weekday",
    )
    create_event(agenda, title="Bientôt", start=paris(2026, 12, 20, 14, 0))
    assert ics_titles(client) == [
        "Bientôt",
        "Chaque mois depuis un an",
        "Il y a deux mois",
    ]


def test_missing_calendar_entries_are_written_after_migrate(client, agenda, frozen):
    create_event(agenda, title="Bientôt", start=paris(2026, 12, 20, 14, 0))
    # As stored before calendar entries existed.
    EventCalendarEntry.objects.all().delete()
    assert ics_titles(client) == []
    call_command("migrate", verbosity=0)
    assert ics_titles(client) == ["Bientôt"]
