"""No overbooking of appointment slots: people taking the last places of a
slot at the same moment, each request in its own thread with its own
database connection, never get more appointments than the slot has places;
the others are told in French and offered the next free slot. Needs
PostgreSQL's row locks (SQLite serialises every write, so it would prove
nothing)."""

import threading
from functools import partial

import pytest
import time_machine
from django.db import connection, transaction

from events.appointments import rules
from events.models import Appointment, AppointmentSession, EventPage
from tests.concurrency import at_once
from tests.factories.appointments import appointment_event, key
from tests.factories.events import paris

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

PEOPLE = 12
PLACES = 2
FIRST = paris(2026, 12, 1, 14, 0)


def _book_all(event_pk, slot_key, emails):
    def book(email, ready):
        event = EventPage.objects.get(pk=event_pk)
        ready()  # everyone at the same time
        try:
            rules.book(
                event,
                slot_key,
                name=email.split("@")[0],
                email=email,
                device="ordinateur",
                need="messagerie",
                now=paris(2026, 11, 20, 10, 0),
            )
        except rules.AppointmentUnavailable as refused:
            return (refused.status, refused.message, refused.next_slot)
        return "booked"

    return at_once([partial(book, email) for email in emails])


def test_concurrent_bookings_never_exceed_a_slots_places(home_page, mailoutbox):
    with time_machine.travel(paris(2026, 11, 20, 10, 0), tick=False):
        event = appointment_event(home_page, places=PLACES)
    people = [f"personne{i}@exemple.fr" for i in range(PEOPLE)]

    outcomes, errors = _book_all(event.pk, key(FIRST), people)

    assert errors == []
    assert outcomes.count("booked") == PLACES
    refused = [o for o in outcomes if o != "booked"]
    assert len(refused) == PEOPLE - PLACES
    for status, message, next_slot in refused:
        assert status == 409
        assert "ce créneau vient d'être pris" in message
        assert next_slot.start == paris(2026, 12, 1, 14, 30)
    assert Appointment.objects.filter(slot_start=FIRST).count() == PLACES
    assert len(mailoutbox) == PLACES


def test_the_same_person_twice_at_once_gets_one_appointment(home_page, mailoutbox):
    with time_machine.travel(paris(2026, 11, 20, 10, 0), tick=False):
        event = appointment_event(home_page, places=PEOPLE)
    outcomes, errors = _book_all(event.pk, key(FIRST), ["lea@exemple.fr"] * 6)
    assert errors == []
    assert Appointment.objects.count() == 1
    # One confirmation, five « you already have one » to the same owner.
    assert len(mailoutbox) == 6
    assert {m.to[0] for m in mailoutbox} == {"lea@exemple.fr"}


def test_two_dates_of_one_event_are_decided_side_by_side(home_page):
    """The lock is the date's row only: while one request holds the first
    date, a request for the next date of the same event goes on at once
    (locking the event's page rows too made every date wait its turn)."""
    with time_machine.travel(paris(2026, 11, 20, 10, 0), tick=False):
        event = appointment_event(home_page, places=PLACES)
    second = paris(2026, 12, 8, 14, 0)
    held, release = threading.Event(), threading.Event()

    def hold_first(ready):
        ready()
        with transaction.atomic():
            AppointmentSession.locked(event.pk, FIRST)
            held.set()
            release.wait(timeout=30)

    def take_second(ready):
        ready()
        held.wait(timeout=30)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                return AppointmentSession.locked(event.pk, second).occurrence_start
        finally:
            release.set()

    returned, errors = at_once([hold_first, take_second])
    assert errors == []
    assert returned[1] == second
