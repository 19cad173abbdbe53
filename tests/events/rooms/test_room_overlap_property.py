"""The overlap rule against a brute-force reference.

The reference knows nothing of the rule's code: it turns every interval
into the set of 5-minute ticks it covers and compares sets. Random slots,
bookings (with setup and tidy-up time) and recurrences, some across the
March 2027 daylight-saving change, must give the same conflicts as
`events.rooms.rules`.
"""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from events.models import Booking, RoomSlot
from events.rooms import rules as rooms
from tests.factories.events import paris
from tests.factories.rooms import create_booking, create_room

TICK = 300  # seconds


def ticks(start, end):
    first = int(start.timestamp()) // TICK
    last = int(end.timestamp()) // TICK
    return set(range(first, last))


# -- The pure rule on plain numbers ------------------------------------------------

intervals = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 40)).map(
        lambda p: (p[0], p[0] + p[1])
    ),
    max_size=12,
)


@given(intervals, intervals)
def test_find_overlaps_matches_brute_force(candidates, existing):
    found = {(c, o) for c, o in rooms.find_overlaps(candidates, existing)}
    expected = {
        (c, o) for c in candidates for o in existing if set(range(*c)) & set(range(*o))
    }
    assert found == expected


@given(intervals, intervals)
def test_outside_matches_brute_force(candidates, covers):
    found = rooms.outside(candidates, covers)
    expected = [
        c
        for c in candidates
        if not any(set(range(*c)) <= set(range(*k)) for k in covers)
    ]
    assert found == expected


# -- The whole check, with recurrences and setup time, on the database ---------------

# Saturdays from February to April 2027: the clocks change on 28 March.
DAYS = [datetime.date(2027, 2, 6) + datetime.timedelta(weeks=w) for w in range(10)]


@st.composite
def spans(draw, max_minutes=300):
    day = draw(st.sampled_from(DAYS))
    start_minutes = draw(st.integers(8 * 12, 18 * 12)) * 5
    length = draw(st.integers(1, max_minutes // 5)) * 5
    start = paris(day.year, day.month, day.day, start_minutes // 60, start_minutes % 60)
    kind = draw(st.sampled_from(["", "", "weekly", "monthly_weekday"]))
    count = draw(st.integers(1, 4)) if kind else None
    return start, start + datetime.timedelta(minutes=length), kind, count


setup_times = st.sampled_from([0, 0, 10, 15, 30, 60])


@pytest.mark.django_db
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    slots=st.lists(spans(max_minutes=480), min_size=0, max_size=3),
    others=st.lists(st.tuples(spans(), setup_times, setup_times), max_size=4),
    wanted=st.tuples(spans(), setup_times, setup_times),
)
def test_conflicts_match_brute_force(slots, others, wanted):
    with transaction.atomic():
        room = create_room()
        for start, end, kind, count in slots:
            RoomSlot.objects.create(
                room=room, start=start, end=end, recurrence=kind, recurrence_count=count
            )
        confirmed = []
        for number, ((start, end, kind, count), setup, tidy) in enumerate(others):
            confirmed.append(
                create_booking(
                    room,
                    start,
                    end,
                    purpose=f"Réservation {number}",
                    setup=setup,
                    tidy=tidy,
                    recurrence=kind,
                    recurrence_count=count,
                    status=Booking.Status.CONFIRMED,
                )
            )
        (start, end, kind, count), setup, tidy = wanted
        candidate = Booking(
            room=room,
            purpose="Demande",
            start=start,
            end=end,
            recurrence=kind,
            recurrence_count=count,
            setup_minutes=setup,
            tidy_minutes=tidy,
            expected_attendance=3,
        )
        candidate.sync_recurrence_rule()
        found = rooms.booking_conflicts(candidate)

        # The reference, tick by tick.
        wanted_dates = [
            ticks(s - candidate.setup, e + candidate.tidy)
            for s, e in candidate.planned_dates()
        ]
        slot_dates = [
            ticks(s, e)
            for slot in room.slots.all()
            for s, e in slot.dates(
                start=paris(2027, 1, 1, 0, 0), end=paris(2028, 1, 1, 0, 0)
            )
        ]
        expected_outside = sum(
            1 for w in wanted_dates if not any(w <= k for k in slot_dates)
        )
        expected_bookings = set()
        for booking in confirmed:
            for row in booking.booked_dates.all():
                taken = ticks(row.blocked_start, row.blocked_end)
                if any(w & taken for w in wanted_dates):
                    expected_bookings.add((row.start, booking.purpose))
        transaction.set_rollback(True)

    event(f"outside: {bool(expected_outside)}, overlaps: {bool(expected_bookings)}")
    assert sum(1 for c in found if c.kind == "outside") == expected_outside
    assert {(c.start, c.label) for c in found if c.kind == "booking"} == (
        expected_bookings
    )
