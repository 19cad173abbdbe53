"""Who gets an appointment slot in an « assistance informatique » session.

The rule: each occurrence of an event « sur rendez-vous » is cut, from its
start, into slots of `event.appointment_slot_minutes` (counted in real
minutes, shown in local time, so slots start at the occurrence's own
wall-clock time on both sides of a daylight-saving change and never at an
hour that does not exist). Each slot takes as many people as volunteers are
on duty that date (`AppointmentSession.places`, else the event's). One
person – an e-mail address, or else a phone number – holds at most one
appointment per occurrence, and only the signed « gérer mon rendez-vous »
link moves or cancels it: booking again with the same contact never changes
the existing appointment, it answers like a new booking and e-mails the
owner their link. So that the public slot list cannot tell whether an
address already has an appointment, that second request takes its place
like a new booking would: the place is held for the owner (status
« held »), who may move into it with their link; moving or cancelling
releases it (asking again for the very slot one holds changes nothing). A
cancelled occurrence cancels its appointments and the people booked are
told. An event « sur rendez-vous » says where it happens
(a venue is required): its slots are not offered on the days its room is
closed, or, without a room, on the days any room of its venue is closed
(`RoomClosure`: the médiathèque records its holidays there).

Every decision about an occurrence's slots goes through one transaction
that holds a row lock (`select_for_update`) on its `AppointmentSession`, so
two people taking the last place never both get it: the second is told in
French and offered the next free slot. Exceptions carry a French message
and the HTTP status a request should get. Mails are sent with Django's mail
API inside the transaction (the queueing backend delivers them after the
commit).
"""

import datetime
import functools
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from events.agenda import recurrence
from events.agenda.closures import Closures
from events.appointments import emails
from events.models import (
    Appointment,
    AppointmentSession,
    AppointmentTally,
    Attendance,
    Device,
    EventPage,
    Need,
    Occurrence,
    Result,
)
from events.models.locks import format_start
from events.models.occurrences import MAX_SPAN
from events.signals import occurrences_changed, validate_event
from portal.errors import Refused
from portal.prepared import prepared_query
from portal.signed_links import SignedLink

logger = logging.getLogger(__name__)

MANAGE_SALT = "events.appointments.manage"
MANAGE_LINK_MAX_AGE = datetime.timedelta(days=400)
# How far ahead the public may book, in occurrences shown on the form.
BOOKABLE_OCCURRENCES = 6


class AppointmentUnavailable(Refused):
    """This slot cannot be booked (or moved to) now; `next_slot` is the next
    free slot to offer instead (or None)."""

    status = 409

    def __init__(self, message, status=None, next_slot=None):
        super().__init__(message, status)
        self.next_slot = next_slot


class InvalidManageLink(Refused):
    """A « gérer mon rendez-vous » link that cannot be used."""


@dataclass
class Slot:
    """One slot of an occurrence and how many places are left in it."""

    occurrence: object
    start: datetime.datetime
    end: datetime.datetime
    places: int = 1
    taken: int = 0

    @property
    def free(self):
        return max(0, self.places - self.taken)

    @property
    def key(self):
        return self.local_start.isoformat()

    @functools.cached_property
    def local_start(self):
        return timezone.localtime(self.start, recurrence.local_tz())

    @functools.cached_property
    def local_end(self):
        return timezone.localtime(self.end, recurrence.local_tz())

    @property
    def label(self):
        return format_start(self.start)


@dataclass
class BookingOutcome:
    """What `book` decided. `appointment` is None when the contact already
    had an appointment for the occurrence (the answer must look the same)."""

    slot: Slot
    appointment: Appointment | None
    duplicate: bool = False


@dataclass
class OccurrenceSlots:
    occurrence: object
    slots: list = field(default_factory=list)

    @property
    def free_slots(self):
        return [slot for slot in self.slots if slot.free]


# -- Slots -----------------------------------------------------------------------


def slot_bounds(start, end, minutes):
    """[(start, end)] of the slots of an occurrence: consecutive slots of
    `minutes` real minutes from its start, the last one ending by its end."""
    length = datetime.timedelta(minutes=max(5, minutes or 30))
    current = start.astimezone(datetime.UTC)
    stop = end.astimezone(datetime.UTC)
    bounds = []
    while current + length <= stop:
        bounds.append((current, current + length))
        current += length
    return bounds


def is_open(event):
    return bool(getattr(event, "appointments_enabled", False))


# What the booking form asks on every request, compiled once
# (portal.prepared): building these queries cost the ORM more than the
# database spent answering them (issue 31).


@prepared_query
def _upcoming(event_pk, since, now, *, limit):
    # OccurrenceQuerySet.upcoming(now), with its `now - MAX_SPAN` given as
    # a parameter of its own.
    return Occurrence.objects.filter(
        event=event_pk, start__gte=since, end__gt=now
    ).order_by("start", "pk")[:limit]


@prepared_query
def _sessions_at(event_pk, starts):
    return AppointmentSession.objects.filter(
        event=event_pk, occurrence_start__in=starts
    )


@prepared_query
def _holding_places(event_pk, starts, *held_for):
    # Only the slot of each appointment or held place: a form shows a few
    # dozen slots, each with a place or two.
    rows = Appointment.objects.holding().filter(
        session__event=event_pk, session__occurrence_start__in=starts
    )
    if held_for:
        rows = rows.exclude(status=Appointment.Status.HELD, contact_key=held_for[0])
    return rows.only("slot_start")


def _occurrences(event, start, limit):
    """The event's next stored occurrences not over at `start` (one LIMIT
    query on the table events.agenda.occurrences keeps up to date)."""
    return _upcoming(event.pk, start - MAX_SPAN, start, limit=limit)


def _occurrence_of(event, moment):
    """The stored occurrence of `event` during which `moment` falls, or
    None (a draft or unpublished event has none)."""
    return (
        Occurrence.objects.filter(event=event, start__lte=moment, end__gt=moment)
        .order_by("start")
        .first()
    )


def _sessions(event, starts):
    return {
        session.occurrence_start: session
        for session in _sessions_at(event.pk, list(starts))
    }


def _taken(event, starts, owner=None):
    """{slot start: places taken} of these occurrences, one query; the
    places held for `owner` (an appointment) do not count."""
    held_for = () if owner is None else (owner.contact_key,)
    return Counter(
        row.slot_start for row in _holding_places(event.pk, list(starts), *held_for)
    )


def _slots_of(event, occurrence, session, taken):
    places = (session.places if session else None) or event.appointment_places or 1
    return [
        Slot(occurrence, start, end, places=places, taken=taken.get(start, 0))
        for start, end in slot_bounds(
            occurrence.start, occurrence.end, event.appointment_slot_minutes
        )
    ]


def _is_cancelled(occurrence, session):
    return bool(occurrence.cancelled or (session and session.cancelled_at))


def bookable(event, now=None, limit=BOOKABLE_OCCURRENCES, owner=None):
    """The next occurrences one may book, each with all its future slots
    (full ones included, so the form can say « complet »), as
    OccurrenceSlots; four queries whatever the number of occurrences and
    appointments. For `owner` (an appointment being moved), the places held
    for its owner are free."""
    now = now or timezone.now()
    if not is_open(event):
        return []
    upcoming = [o for o in _occurrences(event, now, limit * 2) if not o.cancelled]
    if upcoming:
        closures = Closures(upcoming[0].start, upcoming[-1].end, [event])
        # The slots are held at the venue, whatever the attendance mode.
        upcoming = [
            o for o in upcoming if closures.reason(event, o, even_online=True) is None
        ]
    starts = [o.start for o in upcoming]
    sessions = _sessions(event, starts) if starts else {}
    taken = _taken(event, starts, owner) if starts else {}
    result = []
    for occurrence in upcoming:
        session = sessions.get(occurrence.start)
        if _is_cancelled(occurrence, session):
            continue
        slots = [
            slot
            for slot in _slots_of(event, occurrence, session, taken)
            if slot.start > now
        ]
        if slots:
            result.append(OccurrenceSlots(occurrence, slots))
            if len(result) == limit:
                break
    return result


def next_free_slots(event, now=None, limit=6):
    """The next `limit` free slots of the event (for the event page)."""
    free = []
    for day in bookable(event, now):
        free.extend(day.free_slots)
        if len(free) >= limit:
            break
    return free[:limit]


def find_slot(event, key, now=None):
    """The slot of `event` that starts at `key` (ISO datetime), checked:
    raises AppointmentUnavailable (404 when it is not one of this event's
    slots, 410 when it is past or its date cancelled). Free places are not
    checked here (see `book`)."""
    now = now or timezone.now()
    if not is_open(event):
        raise AppointmentUnavailable(
            _("Cet événement ne se réserve pas sur rendez-vous."), 404
        )
    moment = (
        recurrence.parse_key(key) if isinstance(key, str) and len(key) < 40 else None
    )
    if isinstance(key, datetime.datetime):
        moment = key
    not_found = AppointmentUnavailable(
        _(
            "Ce créneau n'existe pas pour cet événement : choisissez un horaire "
            "dans la liste."
        ),
        404,
    )
    if moment is None:
        raise not_found
    occurrence = _occurrence_of(event, moment)
    if occurrence is None:
        raise not_found
    bounds = dict(
        slot_bounds(occurrence.start, occurrence.end, event.appointment_slot_minutes)
    )
    moment = moment.astimezone(datetime.UTC)
    if moment not in bounds:
        raise not_found
    if moment <= now:
        raise AppointmentUnavailable(
            _("Ce créneau est passé : choisissez un horaire à venir."), 410
        )
    if occurrence.cancelled:
        message = _("Cette séance est annulée.")
        if occurrence.cancel_reason:
            message = f"{message} {occurrence.cancel_reason}"
        raise AppointmentUnavailable(message, 410)
    closed = Closures(occurrence.start, occurrence.end, [event]).reason(
        event, occurrence, even_online=True
    )
    if closed is not None:
        raise AppointmentUnavailable(
            _("Le lieu est fermé ce jour-là (%(reason)s) : choisissez une autre date.")
            % {"reason": closed},
            410,
        )
    return Slot(occurrence, moment, bounds[moment])


# -- Deciding ----------------------------------------------------------------------


def contact_key(email, phone):
    """Who the person is: the e-mail in lower case, else the phone digits."""
    email = (email or "").strip().lower()
    if email:
        return email
    digits = "".join(c for c in phone or "" if c.isdigit())
    if digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return f"tel:{digits}"


def _locked_session(event, occurrence_start):
    """The occurrence's AppointmentSession, locked until the transaction
    ends. Every decision about the occurrence's slots goes through it."""
    return AppointmentSession.locked(event, occurrence_start)


def _check_session(session, now):
    if session.cancelled_at:
        raise AppointmentUnavailable(_("Cette séance est annulée."), 410)


def _taken_in(session, slot_start, exclude=None):
    """Places taken in the slot; those of `exclude` (an appointment, and the
    places held for its owner) do not count."""
    queryset = session.appointments.holding().filter(slot_start=slot_start)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk).exclude(
            status=Appointment.Status.HELD, contact_key=exclude.contact_key
        )
    return queryset.count()


def _release_holds(appointment):
    """The places held for this appointment's owner are free again."""
    Appointment.objects.filter(
        session__event_id=appointment.session.event_id,
        status=Appointment.Status.HELD,
        contact_key=appointment.contact_key,
    ).delete()


def _next_free(event, after, now):
    """The first free slot after `after` (this occurrence first, then the
    next ones), or None. Read under the caller's lock for its own session."""
    for day in bookable(event, now):
        for slot in day.free_slots:
            if slot.start > after:
                return slot
    return None


def _full(event, slot, now):
    next_slot = _next_free(event, slot.start, now)
    message = _("Désolé, ce créneau vient d'être pris par quelqu'un d'autre.")
    if next_slot:
        message = "{} {}".format(
            message,
            _("Le prochain créneau libre est le %(slot)s : vous pouvez le choisir.")
            % {"slot": next_slot.label},
        )
    else:
        message = "{} {}".format(
            message, _("Il n'y a plus de créneau libre pour le moment.")
        )
    return AppointmentUnavailable(message, 409, next_slot=next_slot)


def book(
    event,
    key,
    *,
    name,
    email="",
    phone="",
    device,
    system="",
    need,
    need_details="",
    now=None,
):
    """Book the slot starting at `key` for this person.

    Raises AppointmentUnavailable when the slot does not exist, is past,
    cancelled or full (then with the next free slot). When the contact
    already holds an appointment for the occurrence nothing changes: the
    owner is e-mailed their manage link, and the BookingOutcome says `duplicate`
    (the page shown must not)."""
    now = now or timezone.now()
    slot = find_slot(event, key, now)
    email = (email or "").strip().lower()
    phone = (phone or "").strip()
    who = contact_key(email, phone)
    with transaction.atomic():
        session = _locked_session(event, slot.occurrence.start)
        _check_session(session, now)
        slot.places = session.places_per_slot
        slot.taken = _taken_in(session, slot.start)
        if slot.free <= 0:
            raise _full(event, slot, now)
        existing = session.appointments.booked().filter(contact_key=who).first()
        status = Appointment.Status.BOOKED
        if existing is not None:
            if existing.slot_start == slot.start:
                existing.session = session
                _notify(existing, "already")
                return BookingOutcome(slot=slot, appointment=None, duplicate=True)
            status = Appointment.Status.HELD
        appointment = Appointment.objects.create(
            status=status,
            session=session,
            slot_start=slot.start,
            slot_end=slot.end,
            device=device,
            system=system.strip(),
            need=need,
            need_details=need_details.strip(),
            name=name.strip(),
            email=email,
            phone=phone,
            contact_key=who,
            consent_at=now,
        )
        if existing is not None:
            existing.session = session
            _notify(existing, "already", held=appointment)
            return BookingOutcome(slot=slot, appointment=None, duplicate=True)
        _notify(appointment, "booked")
    return BookingOutcome(slot=slot, appointment=appointment)


def move(appointment, key, now=None):
    """Move the appointment to the free slot at `key` (same event, any
    upcoming occurrence). Raises AppointmentUnavailable when it cannot."""
    now = now or timezone.now()
    event = appointment.session.event.specific
    _check_changeable(appointment, now)
    slot = find_slot(event, key, now)
    if slot.start == appointment.slot_start:
        raise AppointmentUnavailable(
            _("C'est déjà l'horaire de votre rendez-vous : choisissez-en un autre."),
            400,
        )
    with transaction.atomic():
        # Lock both sessions, always in the same order, so two moves in
        # opposite directions cannot deadlock.
        current = appointment.session
        target_start = slot.occurrence.start
        for start in sorted({current.occurrence_start, target_start}):
            locked = _locked_session(event, start)
            if start == target_start:
                target = locked
        _check_session(target, now)
        appointment.refresh_from_db()
        _check_changeable(appointment, now)
        slot.places = target.places_per_slot
        slot.taken = _taken_in(target, slot.start, exclude=appointment)
        if slot.free <= 0:
            raise _full(event, slot, now)
        if (
            target.pk != appointment.session_id
            and target.appointments.booked()
            .filter(contact_key=appointment.contact_key)
            .exists()
        ):
            raise AppointmentUnavailable(
                _(
                    "Vous avez déjà un rendez-vous à cette date : un seul rendez-vous "
                    "par personne et par séance."
                ),
                409,
            )
        appointment.session = target
        appointment.slot_start = slot.start
        appointment.slot_end = slot.end
        appointment.reminded_at = None
        appointment.save()
        _release_holds(appointment)
        _notify(appointment, "moved")
    return slot


def _check_changeable(appointment, now):
    if appointment.is_cancelled:
        raise AppointmentUnavailable(
            _(
                "Ce rendez-vous est annulé. Vous pouvez en réserver un autre depuis "
                "la page de l'événement."
            ),
            410,
        )
    if appointment.slot_start <= now:
        raise AppointmentUnavailable(
            _("Ce rendez-vous a déjà commencé ou est passé : il ne peut plus changer."),
            410,
        )


def cancel(appointment, now=None, by=Appointment.CancelledBy.PERSON):
    """Cancel the appointment (its place is free again) and tell the person.
    Cancelling twice is a no-op that returns False."""
    now = now or timezone.now()
    with transaction.atomic():
        _locked_session(appointment.session.event, appointment.session.occurrence_start)
        appointment.refresh_from_db()
        if appointment.is_cancelled:
            return False
        if appointment.status == Appointment.Status.HELD:
            appointment.delete()  # a held place: free again, nobody to tell
            return True
        appointment.status = Appointment.Status.CANCELLED
        appointment.cancelled_at = now
        appointment.cancelled_by = by
        appointment.save(
            update_fields=["status", "cancelled_at", "cancelled_by", "updated_at"]
        )
        _release_holds(appointment)
        _notify(appointment, "cancelled")
    return True


def cancel_occurrence(event, occurrence_start, reason="", now=None):
    """The occurrence will not take place: its session is closed and every
    appointment in it cancelled, each person told. Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked_session(event, occurrence_start)
        if session.cancelled_at is None:
            session.cancelled_at = now
            session.save(update_fields=["cancelled_at"])
        cancelled = list(session.appointments.booked())
        for appointment in cancelled:
            appointment.status = Appointment.Status.CANCELLED
            appointment.cancelled_at = now
            appointment.cancelled_by = Appointment.CancelledBy.OCCURRENCE
            appointment.save(
                update_fields=["status", "cancelled_at", "cancelled_by", "updated_at"]
            )
            appointment.session = session
            _notify(appointment, "occurrence_cancelled", reason=reason)
    return len(cancelled)


def reopen_occurrence(event, occurrence_start):
    """A cancelled date is back: it takes bookings again (those cancelled
    stay cancelled; people were told)."""
    with transaction.atomic():
        session = _locked_session(event, occurrence_start)
        if session.cancelled_at:
            session.cancelled_at = None
            session.save(update_fields=["cancelled_at"])


def _on_occurrences_changed(
    sender, event, removed=(), cancelled=(), restored=(), **kwargs
):
    """A date of the event was cancelled or removed from the agenda: its
    appointments are cancelled and people told; a date restored takes
    bookings again. Runs in the transaction that changed the event."""
    gone = [*cancelled, *removed]
    sessions = AppointmentSession.objects.filter(
        event=event, occurrence_start__in=[*gone, *restored]
    ).values_list("occurrence_start", flat=True)
    starts = set(sessions)
    if not starts:
        return
    reasons = dict(
        Occurrence.objects.filter(event=event, start__in=cancelled).values_list(
            "start", "cancellation_reason"
        )
    )
    for start in gone:
        if start in starts:
            reason = reasons.get(start) or (
                "" if start in cancelled else _("Cette date a été retirée de l'agenda.")
            )
            cancel_occurrence(event, start, reason=reason)
    for start in restored:
        if start in starts:
            reopen_occurrence(event, start)


def placement_errors(sender, event, **kwargs):
    """An event « sur rendez-vous » must say where it happens: the public
    needs the address, and its venue's closures close its slots."""
    if event.appointments_enabled and not event.venue_id:
        return {
            "venue": _(
                "Indiquez le lieu des rendez-vous : le public doit savoir où "
                "venir, et les fermetures du lieu ferment ses créneaux."
            )
        }
    return {}


def connect_signals():
    occurrences_changed.connect(
        _on_occurrences_changed,
        sender=EventPage,
        dispatch_uid="events.appointments.rules.occurrences_changed",
    )
    validate_event.connect(
        placement_errors,
        sender=EventPage,
        dispatch_uid="events.appointments.rules.placement",
    )


def set_places(event, occurrence_start, places):
    """Volunteers on duty that date (None: the event's number). People
    already booked keep their slot even if it now holds more than places."""
    with transaction.atomic():
        session = _locked_session(event, occurrence_start)
        session.places = places
        session.save(update_fields=["places"])
    return session


def _notify(appointment, kind, **extra):
    # The appointment is stored whatever happens to the mail server: staff
    # see it on the day sheet and the person saw the result page.
    if not appointment.email:
        return
    try:
        emails.send(appointment, kind, token=manage_token(appointment), **extra)
    except Exception:
        logger.exception("Could not send the %s e-mail of %s", kind, appointment.pk)


# -- The private « gérer mon rendez-vous » link -----------------------------------


class ManageLink(SignedLink):
    """An appointment's « gérer mon rendez-vous » link: its public id,
    signed; it opens while the appointment exists, for
    `MANAGE_LINK_MAX_AGE`."""

    salt = MANAGE_SALT
    max_age = MANAGE_LINK_MAX_AGE
    error = InvalidManageLink

    def value(self, appointment):
        return appointment.public_id.hex

    def find(self, public_id):
        return (
            Appointment.objects.select_related("session__event")
            .filter(public_id=public_id)
            .first()
        )

    def expired_message(self):
        return _(
            "Ce lien a expiré. Pour changer votre rendez-vous, contactez la "
            "médiathèque."
        )

    def invalid_message(self):
        return _(
            "Ce lien n'est pas valide. Vérifiez qu'il est complet (copiez-le en "
            "entier depuis l'e-mail reçu)."
        )

    def gone_message(self):
        return _(
            "Ce rendez-vous n'existe plus : les données des rendez-vous sont "
            "effacées après la permanence."
        )


manage_link = ManageLink()


def manage_token(appointment):
    return manage_link.make_token(appointment)


def appointment_for_token(token):
    """The appointment a manage link points at, or InvalidManageLink with a
    French message and the status to answer."""
    return manage_link.object_for(token)


# -- For the volunteers --------------------------------------------------------------


def day_sessions(day, events=None):
    """Sessions of appointments on this local day, with their appointments
    (booked first, by slot), for the day sheet."""
    start, end = recurrence.day_bounds(day)
    queryset = AppointmentSession.objects.filter(
        occurrence_start__gte=start, occurrence_start__lt=end
    ).select_related("event")
    if events is not None:
        queryset = queryset.filter(event__in=events)
    return queryset.order_by("occurrence_start", "event__title")


def record(
    appointment,
    *,
    attendance,
    result,
    referred_to="",
    free_software=False,
    computer_restored=False,
    notes="",
    now=None,
):
    """What the volunteers noted about one appointment."""
    now = now or timezone.now()
    appointment.attendance = attendance
    appointment.result = result if attendance == Attendance.CAME else ""
    appointment.referred_to = referred_to.strip() if result == Result.REFERRED else ""
    appointment.free_software_installed = bool(free_software)
    appointment.computer_restored = bool(computer_restored)
    appointment.notes = notes.strip()
    appointment.recorded_at = now
    appointment.save()
    return appointment


# -- Retention and the yearly report ----------------------------------------------


TALLY_FIELDS = (
    "status",
    "device",
    "need",
    "attendance",
    "result",
    "free_software_installed",
    "computer_restored",
)


def purge(cutoff, now=None, dry_run=False):
    """Erase the appointments of sessions that started before `cutoff`,
    keeping anonymous counts per device, need and outcome. Returns
    (appointments erased, sessions)."""
    now = now or timezone.now()
    sessions = (
        Appointment.objects.filter(session__occurrence_start__lt=cutoff)
        .values(
            event_id=F("session__event_id"),
            occurrence_start=F("session__occurrence_start"),
        )
        .annotate(total=Count("pk"))
        .order_by("occurrence_start")
    )
    return AppointmentSession.purge(sessions, _erase_appointments, now, dry_run)


def _erase_appointments(session, occurrence):
    """Erase one session's appointments, keeping their anonymous counts as
    AppointmentTally rows (held places count for nobody)."""
    rows = (
        Appointment.objects.filter(session=session)
        .exclude(status=Appointment.Status.HELD)
        .values(*TALLY_FIELDS)
        .annotate(n=Count("pk"))
        .order_by()
    )
    AppointmentTally.objects.bulk_create(
        AppointmentTally(session=session, count=row.pop("n"), **row) for row in rows
    )
    deleted, _detail = Appointment.objects.filter(session=session).delete()
    return deleted


def erase(appointment):
    """Erase one person's appointment on request (RGPD): the row goes, an
    anonymous count takes its place so the yearly report stays right."""
    with transaction.atomic():
        session = AppointmentSession.objects.select_for_update().get(
            pk=appointment.session_id
        )
        AppointmentTally.objects.create(
            session=session,
            count=1,
            **{name: getattr(appointment, name) for name in TALLY_FIELDS},
        )
        appointment.delete()


def yearly_report(year):
    """Anonymous counts for one calendar year (local time): appointments
    kept, people seen, per device, need, result, and what was done. Live and
    purged appointments alike; two queries."""
    start = recurrence.localize(datetime.datetime(year, 1, 1))
    end = recurrence.localize(datetime.datetime(year + 1, 1, 1))
    live = (
        Appointment.objects.filter(
            session__occurrence_start__gte=start, session__occurrence_start__lt=end
        )
        .exclude(status=Appointment.Status.HELD)
        .values(*TALLY_FIELDS)
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = list(live)
    for tally in AppointmentTally.objects.filter(
        session__occurrence_start__gte=start, session__occurrence_start__lt=end
    ).values(*TALLY_FIELDS, "count"):
        tally["n"] = tally.pop("count")
        rows.append(tally)
    report = {
        "year": year,
        "booked": 0,
        "cancelled": 0,
        "came": 0,
        "absent": 0,
        "free_software_installed": 0,
        "computer_restored": 0,
        "needs": {value: 0 for value in Need.values},
        "devices": {value: 0 for value in Device.values},
        "results": {value: 0 for value in Result.values if value},
    }
    for row in rows:
        n = row["n"]
        if row["status"] == Appointment.Status.CANCELLED:
            report["cancelled"] += n
            continue
        report["booked"] += n
        report["needs"][row["need"]] = report["needs"].get(row["need"], 0) + n
        report["devices"][row["device"]] = report["devices"].get(row["device"], 0) + n
        if row["attendance"] == Attendance.CAME:
            report["came"] += n
            if row["result"]:
                report["results"][row["result"]] = (
                    report["results"].get(row["result"], 0) + n
                )
        elif row["attendance"] == Attendance.ABSENT:
            report["absent"] += n
        if row["free_software_installed"]:
            report["free_software_installed"] += n
        if row["computer_restored"]:
            report["computer_restored"] += n
    report["need_rows"] = [
        (label, report["needs"].get(value, 0)) for value, label in Need.choices
    ]
    report["device_rows"] = [
        (label, report["devices"].get(value, 0)) for value, label in Device.choices
    ]
    report["result_rows"] = [
        (label, report["results"].get(value, 0))
        for value, label in Result.choices
        if value
    ]
    return report


def reminders_due(now=None):
    """Booked appointments whose slot is tomorrow (Paris calendar day) and
    who have an e-mail and no reminder yet."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    start, end = recurrence.day_bounds(tomorrow)
    return (
        Appointment.objects.booked()
        .filter(
            reminded_at__isnull=True,
            slot_start__gte=start,
            slot_start__lt=end,
            session__cancelled_at__isnull=True,
        )
        .exclude(email="")
        .select_related("session__event")
        .order_by("slot_start", "pk")
    )


def send_reminder(appointment, now=None):
    """Claim the reminder with one conditional UPDATE, then send it: no run,
    even concurrent, sends it twice. Returns False when another run had it."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Appointment.objects.filter(
            pk=appointment.pk,
            reminded_at__isnull=True,
            status=Appointment.Status.BOOKED,
        ).update(reminded_at=now)
        if not claimed:
            return False
        emails.send(appointment, "reminder", token=manage_token(appointment))
    return True


# -- The volunteers' day and day sheet -----------------------------------------------


def next_session(events, after):
    """The first occurrence of these events « sur rendez-vous » not over at
    `after` and not cancelled, or None (one LIMIT query)."""
    return (
        Occurrence.objects.filter(event__in=events)
        .not_cancelled()
        .upcoming(after)
        .select_related("event")
        .first()
    )


@dataclass
class DayOverview:
    """The sessions of one local day (`rows`: event, occurrence, closed
    reason or "", appointments booked, capacity, volunteers on duty) and
    the next session after that day, or None."""

    day: datetime.date
    rows: list
    next_session: object


def day_overview(day, events):
    """What the volunteers' « Rendez-vous du jour » page says about `day`
    for these events: five queries, the closures of every event's place
    read in one."""
    # Until 2 a.m. the next day: a late session is still the day's.
    start = recurrence.midnight(day)
    end = start + datetime.timedelta(days=1, hours=2)
    occurrences = [
        occurrence
        for occurrence in Occurrence.objects.filter(event__in=events)
        .between(start, end)
        .select_related("event")
        if timezone.localtime(occurrence.start).date() == day
    ]
    sessions = {
        (s.event_id, s.occurrence_start): s
        for s in AppointmentSession.objects.filter(
            event__in=events, occurrence_start__in=[o.start for o in occurrences]
        )
    }
    counts = {}
    for session_id in (
        Appointment.objects.booked()
        .filter(session__in=sessions.values())
        .values_list("session_id", flat=True)
    ):
        counts[session_id] = counts.get(session_id, 0) + 1
    closures = Closures.of_occurrences(occurrences) if occurrences else None
    rows = []
    for occurrence in occurrences:
        event = occurrence.event
        session = sessions.get((event.pk, occurrence.start))
        places = (session.places if session else None) or event.appointment_places
        closed = closures.reason(event, occurrence, even_online=True)
        rows.append(
            {
                "event": event,
                "occurrence": occurrence,
                "closed": closed or "",
                "booked": counts.get(session.pk, 0) if session else 0,
                "capacity": len(
                    slot_bounds(
                        occurrence.start,
                        occurrence.end,
                        event.appointment_slot_minutes,
                    )
                )
                * places,
                "places": places,
            }
        )
    following = recurrence.midnight(day + datetime.timedelta(days=1))
    return DayOverview(day=day, rows=rows, next_session=next_session(events, following))


@dataclass
class DaySheet:
    """One occurrence's sheet: its session (or None), its booked
    appointments by slot, the volunteers on duty, and `slots`, each with
    its start, end, places held (« held » status) and appointments, in
    time order; an appointment whose slot no longer matches the slot
    length (changed after booking) is listed at its own time."""

    occurrence: object
    session: object
    appointments: list
    places: int
    slots: list


def day_sheet(event, start):
    """The day sheet of the occurrence of `event` starting at `start`, or
    None when there is no such occurrence."""
    occurrence = Occurrence.objects.filter(event=event, start=start).first()
    if occurrence is None:
        return None
    session = AppointmentSession.objects.filter(
        event=event, occurrence_start=occurrence.start
    ).first()
    appointments = list(
        session.appointments.booked().order_by("slot_start", "pk") if session else []
    )
    held = {}
    for slot_start in (
        session.appointments.filter(status=Appointment.Status.HELD).values_list(
            "slot_start", flat=True
        )
        if session
        else []
    ):
        held[slot_start] = held.get(slot_start, 0) + 1
    slots = [
        {
            "start": timezone.localtime(slot_start),
            "end": timezone.localtime(slot_end),
            "held": held.get(slot_start, 0),
            "appointments": [a for a in appointments if a.slot_start == slot_start],
        }
        for slot_start, slot_end in slot_bounds(
            occurrence.start, occurrence.end, event.appointment_slot_minutes
        )
    ]
    listed = {a.pk for slot in slots for a in slot["appointments"]}
    for appointment in appointments:
        if appointment.pk not in listed:
            slots.append(
                {
                    "start": timezone.localtime(appointment.slot_start),
                    "end": timezone.localtime(appointment.slot_end),
                    "appointments": [appointment],
                }
            )
    slots.sort(key=lambda slot: slot["start"])
    return DaySheet(
        occurrence=occurrence,
        session=session,
        appointments=appointments,
        places=(session.places if session else None) or event.appointment_places,
        slots=slots,
    )


def move_choices(appointment, now=None):
    """The occurrences an appointment may move to, each with its future
    slots but the appointment's own (full ones included, so the page can
    say « complet »); the places held for its owner are free for it."""
    days = bookable(appointment.session.event.specific, now, owner=appointment)
    for day in days:
        day.slots = [s for s in day.slots if s.start != appointment.slot_start]
    return [day for day in days if day.slots]
