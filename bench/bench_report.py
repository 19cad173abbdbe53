"""« Bilan de la convention » for a full year: 10,000 stored dates (200
weekly events of 50 dates, both partners in turn, two facilitators each)
and 50,000 registrations (five per date, counted per date as the
registration rule counts them), 500 appointments, 200 room bookings and
300 financial commitments, in 2025. Measured: building the report (median
of 5, in this process) and its queries, then the admin page and the three
exports through the test client. Target (issue 27): under a second, the
same number of queries as for an empty year."""

import datetime
import statistics
import time
from collections import defaultdict

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.factories import create_booking, create_event, create_room, paris
from events.models import (
    Appointment,
    AppointmentSession,
    EventIndexPage,
    EventType,
    FinancialCommitment,
    Occurrence,
    OccurrenceTally,
    Registration,
)
from home.models import Partner
from portal import roles
from portal.report.build import Period, build
from tests.admin_forms import create_role_user
from volunteers.factories import VolunteerFactory

YEAR = 2025
EVENTS = 200
DATES_PER_EVENT = 50
PER_DATE = 5


def _build_year():
    agenda = EventIndexPage.objects.get()
    partners = list(Partner.objects.filter(slug__in=["mediatheque-wimille", "clx"]))
    types = list(EventType.objects.all()) or [
        EventType.objects.create(name="Atelier", slug="atelier")
    ]
    helpers = [VolunteerFactory(), VolunteerFactory()]
    events = []
    for number in range(EVENTS):
        start = paris(YEAR, 1, 1 + number % 7, 9 + number % 9, 0)
        events.append(
            create_event(
                agenda,
                title=f"Atelier du bilan {number}",
                start=start,
                duration=datetime.timedelta(hours=2),
                recurrence="weekly",
                recurrence_count=DATES_PER_EVENT,
                partners=[partners[number % 2]] if number % 3 else partners,
                facilitators=helpers,
                event_type=types[number % len(types)],
                capacity=4,
                publish=False,
            )
        )
    registrations, tallies = [], []
    consent = paris(YEAR, 1, 1)
    for event in events:
        for occurrence in event.stored_occurrences.all():
            counts = defaultdict(int)
            for person in range(PER_DATE):
                status = "confirmed" if person < 4 else "waiting"
                attended = person < 3
                registrations.append(
                    Registration(
                        event=event,
                        occurrence_start=occurrence.start,
                        name=f"Personne {person}",
                        email=f"p{person}-{event.pk}-{occurrence.pk}@exemple.invalid",
                        status=status,
                        attended=attended,
                        consent_at=consent,
                    )
                )
                counts[status] += 1
                counts["present"] += attended
            tallies.append(
                OccurrenceTally(
                    event=event,
                    occurrence_start=occurrence.start,
                    confirmed_registrations=counts["confirmed"],
                    confirmed_seats=counts["confirmed"],
                    present=counts["present"],
                    attendance_taken=True,
                    waiting_peak=counts["waiting"],
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=2000)
    OccurrenceTally.objects.bulk_create(tallies, batch_size=2000)
    for number, event in enumerate(events[:100]):
        session = AppointmentSession.objects.create(
            event=event, occurrence_start=event.stored_occurrences.first().start
        )
        Appointment.objects.bulk_create(
            Appointment(
                session=session,
                slot_start=session.occurrence_start,
                slot_end=session.occurrence_start + datetime.timedelta(minutes=30),
                device="ordinateur",
                need="messagerie",
                name="Personne",
                contact_key=f"{number}-{n}",
                consent_at=consent,
                attendance="venu",
                result="resolu",
            )
            for n in range(5)
        )
    room = create_room("Salle du bilan")
    for number in range(200):
        start = paris(YEAR, 1, 4, 9, 0) + datetime.timedelta(days=number)
        create_booking(room, start, start + datetime.timedelta(hours=3))
    FinancialCommitment.objects.bulk_create(
        FinancialCommitment(
            event=events[number], label="Café", amount=10 + number, payer="ville"
        )
        for number in range(EVENTS)
    )
    FinancialCommitment.objects.update(created_at=paris(YEAR, 6, 1))


def _timed(function, repeat=5, clock=time.perf_counter):
    times = []
    for _ in range(repeat):
        start = clock()
        function()
        times.append((clock() - start) * 1000)
    return statistics.median(times)


def run(report):
    period = Period.year(YEAR)
    with CaptureQueriesContext(connection) as empty:
        build(Period.year(2011))
    started = time.perf_counter()
    with transaction.atomic():
        _build_year()
    report(f"year built in {time.perf_counter() - started:.0f} s")
    report(
        f"stored dates in {YEAR}: "
        f"{Occurrence.objects.filter(start__year=YEAR).count()}, registrations: "
        f"{Registration.objects.filter(occurrence_start__year=YEAR).count()}"
    )
    with CaptureQueriesContext(connection) as full:
        build(period)
    ms = _timed(lambda: build(period))
    # CPU time (SQLite works in this process): what a shared machine's
    # neighbours do not inflate.
    cpu = _timed(lambda: build(period), clock=time.process_time)
    report(
        f"build({YEAR}): {ms:.0f} ms wall, {cpu:.0f} ms CPU (medians of 5), "
        f"{len(full)} queries ({len(empty)} for an empty year); target < 1000 ms"
    )
    client = Client()
    client.force_login(create_role_user("bench-bilan", roles.MODERATION))
    for url in (
        f"/admin/bilan/?annee={YEAR}",
        f"/admin/bilan/impression/?annee={YEAR}",
        f"/admin/bilan/export.csv?annee={YEAR}",
        f"/admin/bilan/export.xlsx?annee={YEAR}",
        f"/admin/bilan/export.ods?annee={YEAR}",
        f"/admin/bilan/presences.xlsx?annee={YEAR}",
    ):
        status = client.get(url).status_code
        ms = _timed(lambda url=url: client.get(url), repeat=3)
        report(f"GET {url}: {status}, {ms:.0f} ms median of 3")
