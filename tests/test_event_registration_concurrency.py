"""No overbooking: many people registering at the same moment, each request
in its own thread with its own database connection, never get more seats
than the occurrence has. Needs PostgreSQL's row locks (SQLite serialises
every write, so it would prove nothing)."""

import threading

import pytest
from django.db import connection, connections

from events import registration as rules
from events.models import EventPage, Registration
from tests.registration_helpers import make_event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = 24
SEATS = 5


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Le test de concurrence demande PostgreSQL (DATABASE_URL).")


def _register_all(event_pk, occurrence_key, people, seats_each=1):
    barrier = threading.Barrier(len(people))
    errors = []

    def register(email):
        try:
            event = EventPage.objects.get(pk=event_pk)
            occurrence = event.get_occurrence(occurrence_key)
            barrier.wait(timeout=30)  # everyone at the same time
            rules.register(
                event,
                occurrence,
                name=email.split("@")[0],
                email=email,
                seats=seats_each,
            )
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(email,)) for email in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def test_concurrent_registrations_never_overbook(home_page, mailoutbox):
    event = make_event(home_page, capacity=SEATS)
    occurrence = event.occurrences()[0]
    people = [f"personne{i}@exemple.fr" for i in range(PEOPLE)]

    errors = _register_all(event.pk, occurrence.key, people)

    assert errors == []
    registrations = Registration.objects.filter(event=event)
    assert registrations.count() == PEOPLE  # none lost, none doubled
    confirmed = registrations.filter(status="confirmed")
    assert confirmed.count() == SEATS
    assert registrations.filter(status="waiting").count() == PEOPLE - SEATS
    waiting = list(registrations.filter(status="waiting").order_by("queued_at", "pk"))
    assert [rules.waiting_position(r) for r in waiting] == list(
        range(1, PEOPLE - SEATS + 1)
    )
    assert len(mailoutbox) == PEOPLE


def test_concurrent_cancellations_promote_each_waiting_person_once(
    home_page, mailoutbox
):
    event = make_event(home_page, capacity=SEATS)
    occurrence = event.occurrences()[0]
    for i in range(SEATS + 10):
        rules.register(
            event, occurrence, name=f"P{i}", email=f"p{i}@exemple.fr", seats=1
        )
    confirmed = list(Registration.objects.filter(status="confirmed"))
    barrier = threading.Barrier(len(confirmed))
    errors = []

    def cancel(pk):
        try:
            registration = Registration.objects.get(pk=pk)
            barrier.wait(timeout=30)
            rules.cancel(registration)
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(r.pk,)) for r in confirmed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    seats = sum(
        Registration.objects.filter(status="confirmed").values_list("seats", flat=True)
    )
    assert seats == SEATS
    assert Registration.objects.filter(promoted_at__isnull=False).count() == SEATS
    assert Registration.objects.filter(status="waiting").count() == 10 - SEATS
