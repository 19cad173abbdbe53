"""Two overlapping requests confirmed at the same moment, each in its own
thread with its own database connection: one is confirmed, the other
refused. Needs PostgreSQL's row locks (SQLite serialises every write, so it
would prove nothing)."""

from functools import partial

import pytest

from events.models import Booking
from events.rooms import rules as rooms
from tests.concurrency import at_once
from tests.factories.events import paris
from tests.factories.rooms import create_booking, first_saturday_room

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

ROUNDS = 4


def _confirm_together(bookings):
    def confirm(booking_pk, ready):
        booking = Booking.objects.get(pk=booking_pk)
        ready()  # both at the same time
        try:
            rooms.confirm(booking, None, "OK")
        except rooms.BookingRefused as refused:
            return refused.message
        return "confirmed"

    returned, errors = at_once([partial(confirm, b.pk) for b in bookings])
    return dict(zip([b.pk for b in bookings], returned, strict=True)), errors


def test_two_overlapping_confirmations_at_once_one_wins(home_page, mailoutbox):
    room = first_saturday_room()
    for month in range(3, 3 + ROUNDS):
        day = {3: 6, 4: 3, 5: 1, 6: 5}[month]  # first Saturdays of 2027
        first = create_booking(
            room, paris(2027, month, day, 9, 30), paris(2027, month, day, 11, 0)
        )
        second = create_booking(
            room,
            paris(2027, month, day, 10, 30),
            paris(2027, month, day, 12, 0),
            purpose="Atelier",
        )
        outcomes, errors = _confirm_together([first, second])
        assert errors == []
        statuses = sorted(
            Booking.objects.filter(pk__in=[first.pk, second.pk]).values_list(
                "status", flat=True
            )
        )
        assert statuses == ["confirmed", "pending"], outcomes
        refusal = next(v for v in outcomes.values() if v != "confirmed")
        assert refusal.startswith("Impossible de confirmer : Chevauche la réservation")
