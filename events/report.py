"""The agenda's figures for the « Bilan de la convention » (`portal.report`).

A date counts in the period it starts in (local time). Meetings are read
from the stored dates (`Occurrence`), attendance from the anonymous counts
per date (`OccurrenceTally`, kept after the purge), appointments from live
appointments and the anonymous tallies of purged ones, rooms from the stored
booking dates, money from the financial commitments proposed in the period.
Each figure counts together and under each partner that organised the event
(an event of both partners counts once together, and under each).
Eleven queries at most, whatever the period holds.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.utils.translation import gettext as _

from events.agenda import recurrence
from events.models import (
    Appointment,
    AppointmentSession,
    AppointmentTally,
    Attendance,
    Booking,
    BookingDate,
    EventPage,
    EventType,
    FinancialCommitment,
    Need,
    Occurrence,
    OccurrenceTally,
    Result,
)
from home.models import Membership
from portal.report.figures import (
    CLX,
    MEDIATHEQUE,
    TOGETHER,
    Figure,
    Totals,
    in_hours,
    scopes_of,
    seconds,
)

DURATION = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
BLOCKED = ExpressionWrapper(
    F("blocked_end") - F("blocked_start"), output_field=DurationField()
)
NO_TYPE = "sans-type"
CENT = Decimal("0.01")


@dataclass
class AgendaReport:
    """What `figures()` returns: one list of figures per section, and what
    the charts draw."""

    activity: list = field(default_factory=list)
    attendance: list = field(default_factory=list)
    assistance: list = field(default_factory=list)
    volunteer_hours: Figure | None = None
    rooms: list = field(default_factory=list)
    money: list = field(default_factory=list)
    # [(first day of month, {scope: dates held})], every month of the period
    months: list = field(default_factory=list)
    # [(type name, {scope: people present})]
    attendance_by_type: list = field(default_factory=list)


def figures(start, end, now):
    """The agenda's figures for dates starting in [start, end)."""
    occurrences = _occurrence_rows(start, end, now)
    tallies = _tally_rows(start, end, now)
    appointments = _appointment_rows(start, end)
    duty = _appointment_duty_rows(start, end, now)
    event_ids = (
        {row["event_id"] for row in occurrences}
        | {row["event_id"] for row in tallies}
        | {row["event_id"] for row in appointments}
        | {row["event_id"] for row in duty}
    )
    partners = _partners_of(event_ids)
    facilitators = _facilitators_of(event_ids)
    types = list(EventType.objects.values_list("pk", "name"))

    report = AgendaReport()
    _activity(report, occurrences, partners, types, start, end)
    _attendance(report, tallies, partners, types, occurrences)
    _assistance(report, appointments, partners)
    report.volunteer_hours = _volunteer_hours(occurrences, duty, partners, facilitators)
    report.rooms = _rooms(start, end)
    report.money = _money(start, end)
    return report


# -- Reading ---------------------------------------------------------------------


def _occurrence_rows(start, end, now):
    """Stored dates grouped by event: planned, cancelled, held, the held
    dates' length, and the held dates of each month of the period (one
    filtered count per month: comparing dates along the start index costs
    less than truncating each date to its local month)."""
    held = Q(is_cancelled=False, end__lte=now)
    months = {
        f"month_{index}": Count(
            "pk", filter=held & Q(start__gte=first, start__lt=following)
        )
        for index, (first, following) in enumerate(_month_bounds(start, end))
    }
    return list(
        Occurrence.objects.filter(start__gte=start, start__lt=end)
        .values(
            "event_id",
            "event__event_type_id",
            "event__appointments_enabled",
            "event__capacity",
        )
        .annotate(
            planned=Count("pk"),
            cancelled=Count("pk", filter=Q(is_cancelled=True)),
            held=Count("pk", filter=held),
            held_length=Sum(DURATION, filter=held),
            **months,
        )
        .order_by()
    )


def _tally_rows(start, end, now):
    """Anonymous counts per event. A count left empty (not kept) is counted
    apart, so that its sum shows « NC »."""
    past_taken = Q(occurrence_start__lt=now, attendance_taken=True)
    return list(
        OccurrenceTally.objects.filter(
            occurrence_start__gte=start, occurrence_start__lt=end
        )
        .values("event_id", "event__event_type_id")
        .annotate(
            dates=Count("pk"),
            confirmed=Sum("confirmed_registrations"),
            confirmed_unknown=Count("pk", filter=Q(confirmed_registrations=None)),
            seats=Sum("confirmed_seats"),
            seats_unknown=Count("pk", filter=Q(confirmed_seats=None)),
            present_sum=Sum("present"),
            present_unknown=Count("pk", filter=Q(present=None)),
            peak=Max("waiting_peak"),
            peak_unknown=Count("pk", filter=Q(waiting_peak=None)),
            taken_confirmed=Sum("confirmed_registrations", filter=past_taken),
            taken_present=Sum("present", filter=past_taken),
            taken_unknown=Count(
                "pk",
                filter=past_taken & (Q(confirmed_registrations=None) | Q(present=None)),
            ),
            not_taken=Count(
                "pk", filter=Q(occurrence_start__lt=now, attendance_taken=False)
            ),
        )
        .order_by()
    )


def _appointment_rows(start, end):
    """Live appointments and the tallies of purged ones, grouped alike."""
    fields = (
        "status",
        "need",
        "attendance",
        "result",
        "free_software_installed",
        "computer_restored",
    )
    in_period = Q(
        session__occurrence_start__gte=start, session__occurrence_start__lt=end
    )
    live = (
        Appointment.objects.filter(in_period)
        .values("session__event_id", *fields)
        .annotate(n=Count("pk"))
        .order_by()
    )
    purged = (
        AppointmentTally.objects.filter(in_period)
        .values("session__event_id", *fields)
        .annotate(n=Sum("count"))
        .order_by()
    )
    rows = [*live, *purged]
    for row in rows:
        row["event_id"] = row.pop("session__event_id")
    return rows


def _appointment_duty_rows(start, end, now):
    """Held dates of appointment events, each with its volunteers on duty
    (the date's own number, else the event's)."""
    places = AppointmentSession.objects.filter(
        event_id=OuterRef("event_id"), occurrence_start=OuterRef("start")
    ).values("places")[:1]
    return list(
        Occurrence.objects.filter(
            start__gte=start,
            start__lt=end,
            end__lte=now,
            is_cancelled=False,
            event__appointments_enabled=True,
        )
        .annotate(length=DURATION, places=Subquery(places))
        .values("event_id", "length", "places", "event__appointment_places")
        .order_by()
    )


def _partners_of(event_ids):
    partners = defaultdict(set)
    for event_id, slug in EventPage.partners.through.objects.filter(
        eventpage_id__in=event_ids
    ).values_list("eventpage_id", "partner__slug"):
        partners[event_id].add(slug)
    return partners


def _facilitators_of(event_ids):
    return dict(
        EventPage.facilitators.through.objects.filter(eventpage_id__in=event_ids)
        .values("eventpage_id")
        .annotate(n=Count("pk"))
        .values_list("eventpage_id", "n")
        .order_by()
    )


# -- Sections --------------------------------------------------------------------


def _months(start, end):
    """The first day (local) of each month the period touches."""
    tz = recurrence.local_tz()
    day = start.astimezone(tz).date().replace(day=1)
    last = (end - datetime.timedelta(microseconds=1)).astimezone(tz).date()
    months = []
    while day <= last:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def _month_bounds(start, end):
    """[start, end) cut at each local month's first midnight."""
    cuts = [
        recurrence.localize(datetime.datetime.combine(day, datetime.time()))
        for day in _months(start, end)[1:]
    ]
    edges = [start, *cuts, end]
    return list(zip(edges, edges[1:], strict=False))


def _activity(report, rows, partners, types, start, end):
    months = _months(start, end)
    totals = Totals()
    month_totals = Totals()
    for row in rows:
        scopes = scopes_of(partners[row["event_id"]])
        kind = row["event__event_type_id"] or NO_TYPE
        held_seconds = seconds(row["held_length"])
        for key, n in (
            ("planned", row["planned"]),
            ("held", row["held"]),
            ("cancelled", row["cancelled"]),
            ("to_come", row["planned"] - row["held"] - row["cancelled"]),
            ("seconds", held_seconds),
        ):
            totals.add(key, scopes, n)
            totals.add((key, kind), scopes, n)
        for index, month in enumerate(months):
            month_totals.add(month, scopes, row[f"month_{index}"])
    report.activity = [
        totals.figure("planned", _("Séances prévues (toutes les dates)")),
        totals.figure("held", _("Séances tenues")),
        totals.figure("cancelled", _("Séances annulées")),
        totals.figure("to_come", _("Séances encore à venir")),
        Figure(
            _("Heures d'activité (séances tenues)"),
            in_hours(totals.get("seconds")),
            unit="h",
        ),
    ]
    kinds = [*types, (NO_TYPE, _("Sans type"))]
    for kind, name in kinds:
        if ("planned", kind) not in totals.values:
            continue  # no date of this type in the period
        report.activity += [
            totals.figure(("planned", kind), _("%(type)s : prévues") % {"type": name}),
            totals.figure(("held", kind), _("%(type)s : tenues") % {"type": name}),
            totals.figure(
                ("cancelled", kind), _("%(type)s : annulées") % {"type": name}
            ),
            Figure(
                _("%(type)s : heures") % {"type": name},
                in_hours(totals.get(("seconds", kind))),
                unit="h",
            ),
        ]
    report.months = [(month, month_totals.get(month)) for month in _months(start, end)]


def _attendance(report, rows, partners, types, occurrences):
    totals = Totals()
    for row in occurrences:
        if row["event__capacity"] is None and not row["event__appointments_enabled"]:
            totals.add("open", scopes_of(partners[row["event_id"]]), row["held"])
    by_type = Totals()
    for row in rows:
        scopes = scopes_of(partners[row["event_id"]])

        def known(value, unknown):
            return None if unknown else (value or 0)

        totals.add("dates", scopes, row["dates"])
        totals.add(
            "confirmed", scopes, known(row["confirmed"], row["confirmed_unknown"])
        )
        totals.add("seats", scopes, known(row["seats"], row["seats_unknown"]))
        present = known(row["present_sum"], row["present_unknown"])
        totals.add("present", scopes, present)
        totals.add(
            "no_shows",
            scopes,
            None
            if row["taken_unknown"]
            else (row["taken_confirmed"] or 0) - (row["taken_present"] or 0),
        )
        totals.add("not_taken", scopes, row["not_taken"])
        by_type.add(row["event__event_type_id"] or NO_TYPE, scopes, present)
    peaks = Totals()
    for row in rows:
        peak = None if row["peak_unknown"] else row["peak"]
        peaks.peak("peak", scopes_of(partners[row["event_id"]]), peak)
    report.attendance = [
        totals.figure("dates", _("Séances avec inscription")),
        totals.figure("confirmed", _("Inscriptions confirmées")),
        totals.figure("seats", _("Places confirmées")),
        totals.figure(
            "present",
            _("Personnes présentes"),
            note=_("Inscriptions cochées sur la feuille d'émargement."),
        ),
        totals.figure(
            "no_shows",
            _("Absents sans prévenir"),
            note=_(
                "Inscriptions confirmées non cochées, aux séances passées dont "
                "l'émargement a été fait."
            ),
        ),
        totals.figure("not_taken", _("Séances passées sans émargement")),
        totals.figure(
            "open",
            _("Séances tenues en accès libre"),
            note=_("Sans inscription : leur public n'est pas compté."),
        ),
        Figure(_("Liste d'attente la plus longue (une séance)"), peaks.get("peak")),
        Figure(
            _("Personnes venues pour la première fois"),
            dict.fromkeys((MEDIATHEQUE, CLX, TOGETHER)),
            note=_(
                "Non compté : le savoir demanderait de garder les noms au-delà "
                "de la durée de conservation."
            ),
        ),
    ]
    report.attendance_by_type = [
        (name, by_type.get(kind))
        for kind, name in [*types, (NO_TYPE, _("Sans type"))]
        if kind in by_type.values
    ]


def _assistance(report, rows, partners):
    totals = Totals()
    for row in rows:
        scopes = scopes_of(partners[row["event_id"]])
        n = row["n"]
        if row["status"] == Appointment.Status.CANCELLED:
            totals.add("cancelled", scopes, n)
            continue
        totals.add("booked", scopes, n)
        totals.add(("need", row["need"]), scopes, n)
        if row["attendance"] == Attendance.CAME:
            totals.add("came", scopes, n)
            if row["result"]:
                totals.add(("result", row["result"]), scopes, n)
        elif row["attendance"] == Attendance.ABSENT:
            totals.add("absent", scopes, n)
        if row["computer_restored"]:
            totals.add("restored", scopes, n)
        if row["free_software_installed"]:
            totals.add("free_software", scopes, n)
    report.assistance = [
        totals.figure("booked", _("Rendez-vous pris")),
        totals.figure("cancelled", _("Rendez-vous annulés")),
        totals.figure("came", _("Personnes venues à leur rendez-vous")),
        totals.figure("absent", _("Personnes absentes à leur rendez-vous")),
        totals.figure("restored", _("Ordinateurs remis en service")),
        totals.figure("free_software", _("Logiciels libres installés")),
    ]
    report.assistance += [
        totals.figure(("need", value), _("Besoin : %(need)s") % {"need": label})
        for value, label in Need.choices
    ]
    report.assistance += [
        totals.figure(("result", value), _("Résultat : %(result)s") % {"result": label})
        for value, label in Result.choices
        if value
    ]


def _volunteer_hours(occurrences, duty, partners, facilitators):
    """Hours given: each held date's length times its facilitators; for an
    appointment date, times its volunteers on duty instead."""
    totals = Totals()
    for row in occurrences:
        if row["event__appointments_enabled"]:
            continue
        scopes = scopes_of(partners[row["event_id"]])
        people = facilitators.get(row["event_id"], 0)
        totals.add("seconds", scopes, seconds(row["held_length"]) * people)
    for row in duty:
        scopes = scopes_of(partners[row["event_id"]])
        people = row["places"] or row["event__appointment_places"] or 1
        totals.add("seconds", scopes, seconds(row["length"]) * people)
    return Figure(
        _("Heures données par les bénévoles"),
        in_hours(totals.get("seconds")),
        unit="h",
        note=_(
            "Durée de chaque séance tenue multipliée par ses animateurs ; pour "
            "l'assistance sur rendez-vous, par ses bénévoles de permanence."
        ),
    )


def _rooms(start, end):
    """Room requests (CLX's, decided by the médiathèque) with a date in the
    period, by state; the room's hours taken by confirmed dates."""
    rows = {
        row["booking__status"]: row
        for row in BookingDate.objects.filter(start__gte=start, start__lt=end)
        .values("booking__status")
        .annotate(
            bookings=Count("booking_id", distinct=True),
            blocked=Sum(BLOCKED),
        )
        .order_by()
    }

    def together(value):
        return {TOGETHER: value}

    def count(status):
        return rows.get(status, {}).get("bookings", 0)

    status = Booking.Status
    return [
        Figure(_("Demandes de salle"), together(sum(count(s) for s in status.values))),
        Figure(_("Demandes confirmées"), together(count(status.CONFIRMED))),
        Figure(_("Demandes refusées"), together(count(status.DECLINED))),
        Figure(_("Demandes en attente"), together(count(status.PENDING))),
        Figure(_("Demandes annulées"), together(count(status.CANCELLED))),
        Figure(
            _("Heures d'occupation des salles"),
            in_hours(together(seconds(rows.get(status.CONFIRMED, {}).get("blocked")))),
            unit="h",
            note=_("Dates confirmées, installation et rangement compris."),
        ),
    ]


GRANTED, PENDING, REFUSED = "granted", "pending", "refused"


def _state(payer, town_status, clx_status):
    commitment = FinancialCommitment(
        payer=payer, town_status=town_status, clx_status=clx_status
    )
    if commitment.is_settled:
        return GRANTED
    agreement = FinancialCommitment.Agreement
    if agreement.REFUSED in (town_status, clx_status):
        return REFUSED
    return PENDING


def _money(start, end):
    """Commitments proposed in the period, by state: the Médiathèque column
    is what the town pays, CLX's what the club pays, together includes the
    shared lines."""
    payer = FinancialCommitment.Payer
    column = {payer.TOWN: MEDIATHEQUE, payer.CLX: CLX}
    amounts = Totals(scopes=(MEDIATHEQUE, CLX, TOGETHER))
    counts = Totals(scopes=(MEDIATHEQUE, CLX, TOGETHER))
    for row in (
        FinancialCommitment.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("payer", "town_status", "clx_status")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by()
    ):
        state = _state(row["payer"], row["town_status"], row["clx_status"])
        scopes = [TOGETHER]
        if row["payer"] in column:
            scopes.append(column[row["payer"]])
        else:
            amounts.add(("shared", state), [TOGETHER], row["total"])
        amounts.add(state, scopes, row["total"])
        counts.add(state, scopes, row["n"])
    labels = {
        GRANTED: _("accordés ou sans accord à donner"),
        PENDING: _("en attente d'accord"),
        REFUSED: _("refusés"),
    }

    def euros(values):
        return {
            scope: None if value is None else Decimal(value).quantize(CENT)
            for scope, value in values.items()
        }

    figures_ = []
    for state, label in labels.items():
        figures_ += [
            counts.figure(state, _("Engagements %(state)s") % {"state": label}),
            Figure(
                _("Montant des engagements %(state)s") % {"state": label},
                euros(amounts.get(state)),
                unit="€",
            ),
            Figure(
                _("dont partagés entre la ville et CLX"),
                euros({TOGETHER: amounts.get(("shared", state))[TOGETHER]}),
                unit="€",
            ),
        ]
    first_year = start.astimezone(recurrence.local_tz()).year
    last_year = (
        (end - datetime.timedelta(microseconds=1))
        .astimezone(recurrence.local_tz())
        .year
    )
    paid = (
        Membership.objects.filter(
            year__gte=first_year,
            year__lte=last_year,
            paid_on__isnull=False,
            partner__slug=CLX,
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    figures_.append(
        Figure(
            _("Adhésion de la ville à CLX payée"),
            euros({CLX: paid, TOGETHER: paid}),
            unit="€",
            note=_("Adhésions des années de la période, payées à ce jour."),
        )
    )
    return figures_
