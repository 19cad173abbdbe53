"""Two overlapping requests confirmed at the same moment, each in its own
thread with its own database connection: one is confirmed, the other
refused. Needs PostgreSQL's row locks (SQLite serialises every write, so it
would prove nothing)."""

import threading

import pytest
from django.db import connection, connections

from events.models import Booking
from events.rooms import rules as rooms
from tests.factories.events import paris
from tests.factories.rooms import create_booking, first_saturday_room

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 4


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Le test de concurrence demande PostgreSQL (DATABASE_URL).")


def _confirm_together(bookings):
    barrier = threading.Barrier(len(bookings))
    outcomes = {}

    def confirm(booking_pk):
        try:
            booking = Booking.objects.get(pk=booking_pk)
            barrier.wait(timeout=30)  # both at the same time
            rooms.confirm(booking, None, "OK")
            outcomes[booking_pk] = "confirmed"
        except rooms.BookingRefused as refused:
            outcomes[booking_pk] = refused.message
        except Exception as error:  # noqa: BLE001 (reported below)
            outcomes[booking_pk] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(b.pk,)) for b in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


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
        outcomes = _confirm_together([first, second])
        statuses = sorted(
            Booking.objects.filter(pk__in=[first.pk, second.pk]).values_list(
                "status", flat=True
            )
        )
        assert statuses == ["confirmed", "pending"], outcomes
        refusal = next(v for v in outcomes.values() if v != "confirmed")
        assert refusal.startswith("Impossible de confirmer : Chevauche la réservation")
