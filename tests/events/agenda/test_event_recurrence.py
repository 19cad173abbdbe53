"""Recurring events: « le premier samedi de chaque mois », « chaque mardi »,
monthly on a date, custom rules, end date or count, cancelled and extra
dates — and 09:30 stays 09:30 local time across daylight-saving changes."""

import datetime

import pytest
import time_machine

from events.agenda import recurrence
from tests.factories.events import create_event, paris

pytestmark = pytest.mark.django_db


def local_starts(occurrences):
    return [
        (o.local_start.date().isoformat(), o.local_start.strftime("%H:%M"))
        for o in occurrences
    ]


def test_first_saturday_of_each_month_keeps_0930_across_october_dst(agenda):
    event = create_event(
        agenda, start=paris(2026, 9, 5, 9, 30), recurrence="monthly_weekday"
    )
    assert event.recurrence_rule == "FREQ=MONTHLY;BYDAY=+1SA"
    assert event.recurrence_description == "le premier samedi de chaque mois"
    occurrences = event.occurrences(start=paris(2026, 9, 1), end=paris(2027, 1, 1))
    assert local_starts(occurrences) == [
        ("2026-09-05", "09:30"),
        ("2026-10-03", "09:30"),
        ("2026-11-07", "09:30"),
        ("2026-12-05", "09:30"),
    ]
    # Summer time before the last Sunday of October, winter time after.
    assert occurrences[1].start.utcoffset() == datetime.timedelta(hours=2)
    assert occurrences[2].start.utcoffset() == datetime.timedelta(hours=1)
    assert occurrences[2].end - occurrences[2].start == datetime.timedelta(
        hours=2, minutes=30
    )


def test_every_tuesday_keeps_local_time_across_march_dst(agenda):
    event = create_event(agenda, start=paris(2027, 3, 16, 14, 0), recurrence="weekly")
    assert event.recurrence_description == "chaque mardi"
    occurrences = event.occurrences(start=paris(2027, 3, 16), end=paris(2027, 4, 7))
    assert local_starts(occurrences) == [
        ("2027-03-16", "14:00"),
        ("2027-03-23", "14:00"),
        ("2027-03-30", "14:00"),
        ("2027-04-06", "14:00"),
    ]
    assert occurrences[1].start.utcoffset() == datetime.timedelta(hours=1)
    assert occurrences[2].start.utcoffset() == datetime.timedelta(hours=2)


def test_count_and_until_end_the_series(agenda):
    counted = create_event(
        agenda, start=paris(2026, 12, 1, 14), recurrence="weekly", recurrence_count=3
    )
    assert len(counted.occurrences(end=paris(2028, 1, 1))) == 3
    until = create_event(
        agenda,
        start=paris(2026, 12, 1, 14),
        recurrence="weekly",
        recurrence_until=datetime.date(2026, 12, 15),
    )
    assert "UNTIL=20261215T225959Z" in until.recurrence_rule
    assert [o.local_start.day for o in until.occurrences(end=paris(2028, 1, 1))] == [
        1,
        8,
        15,
    ]


def test_monthly_on_a_date_and_last_weekday(agenda):
    on_date = create_event(
        agenda, start=paris(2026, 12, 15, 18), recurrence="monthly_date"
    )
    assert on_date.recurrence_description == "le 15 de chaque mois"
    assert [
        o.local_start.date() for o in on_date.occurrences(end=paris(2027, 3, 1))
    ] == [
        datetime.date(2026, 12, 15),
        datetime.date(2027, 1, 15),
        datetime.date(2027, 2, 15),
    ]
    last_friday = create_event(
        agenda, start=paris(2026, 12, 25, 18), recurrence="monthly_last_weekday"
    )
    assert last_friday.recurrence_description == "le dernier vendredi de chaque mois"
    assert [
        o.local_start.date() for o in last_friday.occurrences(end=paris(2027, 3, 1))
    ] == [
        datetime.date(2026, 12, 25),
        datetime.date(2027, 1, 29),
        datetime.date(2027, 2, 26),
    ]


def test_custom_rule_every_other_wednesday(agenda):
    event = create_event(
        agenda,
        start=paris(2026, 12, 2, 17),
        recurrence="custom",
        recurrence_rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        recurrence_count=3,
    )
    assert [o.local_start.day for o in event.occurrences(end=paris(2028, 1, 1))] == [
        2,
        16,
        30,
    ]


def test_cancelled_dates_stay_listed_with_their_reason(agenda, client):
    event = create_event(
        agenda,
        start=paris(2026, 12, 5),
        recurrence="monthly_weekday",
        cancellations=[(datetime.date(2027, 1, 2), "Fermeture pour les fêtes")],
    )
    occurrences = event.occurrences(start=paris(2026, 12, 1), end=paris(2027, 3, 1))
    assert [(o.local_start.day, o.cancelled) for o in occurrences] == [
        (5, False),
        (2, True),
        (6, False),
    ]
    assert occurrences[1].cancel_reason == "Fermeture pour les fêtes"
    with time_machine.travel(paris(2026, 12, 1, 8), tick=False):
        html = client.get(event.url).content.decode()
    assert "samedi 2 janvier 2027" in html
    assert "annulé" in html
    assert "Fermeture pour les fêtes" in html


def test_extra_dates_are_added_in_order(agenda):
    event = create_event(
        agenda,
        start=paris(2026, 12, 5),
        recurrence="monthly_weekday",
        recurrence_count=2,
        extra_dates=[paris(2026, 12, 19, 14, 0)],
    )
    occurrences = event.occurrences(start=paris(2026, 12, 1), end=paris(2027, 3, 1))
    assert local_starts(occurrences) == [
        ("2026-12-05", "09:30"),
        ("2026-12-19", "14:00"),
        ("2027-01-02", "09:30"),
    ]
    assert occurrences[1].is_extra
    assert occurrences[1].end == paris(2026, 12, 19, 16, 30)


def test_get_occurrence_by_key_or_datetime(agenda):
    event = create_event(agenda, start=paris(2026, 12, 5), recurrence="monthly_weekday")
    second = event.occurrences(start=paris(2026, 12, 1), end=paris(2027, 2, 1))[1]
    assert second.key == "2027-01-02T09:30:00+01:00"
    found = event.get_occurrence(second.key)
    assert found is not None and found.start == paris(2027, 1, 2)
    assert found.event == event
    assert event.get_occurrence(paris(2027, 1, 2)).key == second.key
    assert event.get_occurrence(paris(2027, 1, 3)) is None
    assert event.get_occurrence("pas-une-date") is None


def test_single_event_has_one_occurrence(agenda):
    event = create_event(agenda, start=paris(2026, 12, 12, 14, 0))
    assert event.recurrence_rule == ""
    occurrences = event.occurrences(start=paris(2026, 1, 1), end=paris(2028, 1, 1))
    assert local_starts(occurrences) == [("2026-12-12", "14:00")]


@pytest.mark.parametrize(
    ("frozen", "expected_day", "expected_offset"),
    [
        # The Saturday before the last Sunday of March, then of October.
        (paris(2027, 3, 27, 12), "dimanche 28 mars 2027", "+02:00"),
        (paris(2026, 10, 24, 12), "dimanche 25 octobre 2026", "+01:00"),
    ],
)
def test_page_shows_0930_on_the_day_clocks_change(
    agenda, client, frozen, expected_day, expected_offset
):
    create_event(
        agenda,
        slug="dimanche",
        start=paris(2026, 9, 6, 9, 30),
        recurrence="weekly",
    )
    with time_machine.travel(frozen, tick=False):
        html = client.get("/agenda/dimanche/").content.decode().replace("\xa0", " ")
    assert f"{expected_day}</time>, de 9 h 30 à 12 h 00" in html
    assert f'"startDate": "{expected_day[-4:]}' in html
    assert f'T09:30:00{expected_offset}"' in html


def test_local_day_and_month_bounds_follow_the_paris_clock():
    """Every « that day » and « that month » of the agenda, the appointments,
    the rooms and the reminders reads these bounds: a day of a clock change
    lasts 23 or 25 hours, and each bound is a local midnight."""
    spring = recurrence.day_bounds(datetime.date(2027, 3, 28))
    autumn = recurrence.day_bounds(datetime.date(2027, 10, 31))
    # Elapsed time (datetimes of one zone subtract as wall clocks).
    assert spring[1].timestamp() - spring[0].timestamp() == 23 * 3600
    assert autumn[1].timestamp() - autumn[0].timestamp() == 25 * 3600
    start, end = recurrence.month_bounds(2027, 12)
    assert (start.isoformat(), end.isoformat()) == (
        "2027-12-01T00:00:00+01:00",
        "2028-01-01T00:00:00+01:00",
    )
    assert recurrence.day_bounds(datetime.date(2027, 3, 27), days=2)[1] == spring[1]
