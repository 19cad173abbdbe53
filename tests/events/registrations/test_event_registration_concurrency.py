"""No overbooking: many people registering at the same moment, each request
in its own thread with its own database connection, never get more seats
than the occurrence has, nor do confirmations racing the expiry of holds.
Needs PostgreSQL's row locks (SQLite serialises every write, so it would
prove nothing)."""

import datetime
from functools import partial

import pytest
from django.utils import timezone

from events.models import EventPage, Registration
from events.registrations import links, rules
from tests.concurrency import at_once
from tests.registration_helpers import make_event

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

PEOPLE = 24
SEATS = 5


def _register_all(event_pk, occurrence_key, people, seats_each=1):
    def register(email, ready):
        event = EventPage.objects.get(pk=event_pk)
        occurrence = event.get_occurrence(occurrence_key)
        ready()  # everyone at the same time
        rules.register(
            event,
            occurrence,
            name=email.split("@")[0],
            email=email,
            seats=seats_each,
        )

    _returned, errors = at_once([partial(register, email) for email in people])
    return errors


def test_concurrent_registrations_never_overbook(home_page, mailoutbox):
    event = make_event(home_page, capacity=SEATS)
    occurrence = event.occurrences()[0]
    people = [f"personne{i}@exemple.fr" for i in range(PEOPLE)]

    errors = _register_all(event.pk, occurrence.key, people)

    assert errors == []
    registrations = Registration.objects.filter(event=event)
    assert registrations.count() == PEOPLE  # none lost, none doubled
    held = registrations.filter(status="pending")
    assert held.count() == SEATS
    assert registrations.filter(status="waiting").count() == PEOPLE - SEATS
    assert len(mailoutbox) == PEOPLE  # each asked to confirm

    # Everybody confirms at the same moment: the held seats become the
    # confirmed ones, the others stay on the waiting list.
    errors = _in_threads(rules.confirm, list(registrations))
    assert errors == []
    assert registrations.filter(status="confirmed").count() == SEATS
    assert registrations.filter(status="waiting").count() == PEOPLE - SEATS
    assert not registrations.filter(hold_expires_at__isnull=False).exists()


def _in_threads(rule, registrations, **kwargs):
    """`rule(registration, **kwargs)` for each, all at the same moment."""

    def run(pk, ready):
        registration = Registration.objects.get(pk=pk)
        ready()
        rule(registration, **kwargs)

    _returned, errors = at_once([partial(run, r.pk) for r in registrations])
    return errors


def test_late_confirmations_racing_newcomers_never_overbook(home_page, mailoutbox):
    """Holds that were not confirmed in time: their late confirmations and
    new registrations arrive together; the holds are erased once, the
    newcomers get the seats, nobody gets more than the capacity."""
    event = make_event(home_page, capacity=SEATS)
    occurrence = event.occurrences()[0]
    asked_at = timezone.now()
    for i in range(SEATS):
        rules.register(
            event, occurrence, name=f"H{i}", email=f"h{i}@exemple.fr", now=asked_at
        )
    holds = list(Registration.objects.filter(status="pending"))
    later = asked_at + datetime.timedelta(minutes=31)
    newcomers = [f"nouveau{i}@exemple.fr" for i in range(10)]

    def confirm_late(pk, ready):
        registration = Registration.objects.get(pk=pk)
        ready()
        try:
            rules.confirm(registration, now=later)
        except links.InvalidCancelLink as error:
            return error.status
        return "confirmed"

    def register_new(email, ready):
        ready()
        rules.register(event, occurrence, name="N", email=email, now=later)
        return "registered"

    outcomes, errors = at_once(
        [partial(confirm_late, r.pk) for r in holds]
        + [partial(register_new, e) for e in newcomers]
    )

    assert errors == []
    assert sorted(map(str, outcomes)) == sorted(["410"] * SEATS + ["registered"] * 10)
    registrations = Registration.objects.filter(event=event)
    assert not registrations.filter(email__startswith="h").exists()
    assert registrations.filter(status="pending").count() == SEATS
    assert registrations.filter(status="waiting").count() == 10 - SEATS


def test_concurrent_cancellations_promote_each_waiting_person_once(
    home_page, mailoutbox
):
    event = make_event(home_page, capacity=SEATS)
    occurrence = event.occurrences()[0]
    for i in range(SEATS + 10):
        outcome = rules.register(
            event, occurrence, name=f"P{i}", email=f"p{i}@exemple.fr", seats=1
        )
        rules.confirm(outcome.registration)
    confirmed = list(Registration.objects.filter(status="confirmed"))

    errors = _in_threads(rules.cancel, confirmed)

    assert errors == []
    seats = sum(
        Registration.objects.filter(status="confirmed").values_list("seats", flat=True)
    )
    assert seats == SEATS
    assert Registration.objects.filter(promoted_at__isnull=False).count() == SEATS
    assert Registration.objects.filter(status="waiting").count() == 10 - SEATS
