"""Who may use a room when.

The rule: every date of a confirmed booking or of an event placed in a room
lies inside one of the room's agreed slots, outside its closures, and no two
of them overlap; a booking blocks the room from its setup to the end of its
tidy-up. Intervals are half-open, so a booking that ends at 12:00 and one
that starts at 12:00 do not overlap.

Confirming a booking is decided inside one transaction holding a row lock on
the room (`select_for_update`), so two overlapping requests confirmed at the
same moment end with one confirmed and one refused. The check reads a
bounded range of stored rows (`BookingDate`, `events.Occurrence`) between the
first and last date asked for, never every event of the room.
"""

import bisect
import calendar
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from events import permissions
from events.agenda import recurrence
from events.models.occurrences import Occurrence
from events.models.pages import EventPage
from events.models.rooms import Booking, BookingDate, Room, format_span
from events.rooms import emails as room_emails
from portal import formats, roles
from portal.errors import Refused


class BookingRefused(Refused):
    """A booking cannot be made, confirmed or declined as asked; `message`
    says why in French, `status` is the HTTP status a request should get."""

    status = 409

    def __init__(self, message, status=None, conflicts=()):
        super().__init__(message, status)
        self.conflicts = list(conflicts)


@dataclass(frozen=True)
class Conflict:
    """Why one date cannot be held: what it meets and when."""

    kind: str  # "booking", "event", "closure", "outside", "pending"
    start: datetime.datetime
    end: datetime.datetime
    label: str = ""
    # The dates were widened by setup and tidy-up time.
    padded: bool = False
    # The other request, for a "pending" overlap (a warning, not a refusal).
    booking_pk: int | None = None

    @property
    def message(self):
        when = format_span(self.start, self.end)
        if self.kind == "booking":
            return _("Chevauche la réservation « %(label)s » du %(when)s.") % {
                "label": self.label,
                "when": when,
            }
        if self.kind == "event":
            return _("Chevauche l'événement « %(label)s » du %(when)s.") % {
                "label": self.label,
                "when": when,
            }
        if self.kind == "pending":
            return _(
                "Chevauche la demande en attente « %(label)s » du %(when)s : "
                "la médiathèque choisira laquelle confirmer."
            ) % {"label": self.label, "when": when}
        if self.kind == "closure":
            return _("La salle est fermée le %(when)s (%(label)s).") % {
                "label": self.label,
                "when": when,
            }
        if self.padded:
            return _(
                "Le %(when)s (installation et rangement compris) est en dehors "
                "des créneaux convenus pour cette salle."
            ) % {"when": when}
        return _(
            "Le %(when)s est en dehors des créneaux convenus pour cette salle."
        ) % {"when": when}


# -- Pure interval rules ---------------------------------------------------------


def overlaps(a_start, a_end, b_start, b_end):
    """Half-open intervals [a_start, a_end) and [b_start, b_end) meet."""
    return a_start < b_end and b_start < a_end


def find_overlaps(candidates, existing):
    """Pairs (candidate, other) of overlapping intervals. Both are sequences
    of tuples whose first two items are start and end. Others are sorted by
    start once, so each candidate only looks at those starting before it
    ends."""
    others = sorted(existing, key=lambda item: item[0])
    starts = [other[0] for other in others]
    pairs = []
    for candidate in candidates:
        start, end = candidate[0], candidate[1]
        for other in others[: bisect.bisect_left(starts, end)]:
            if other[1] > start:
                pairs.append((candidate, other))
    return pairs


def outside(candidates, covers):
    """Candidates not contained in any single cover interval."""
    return [
        candidate
        for candidate in candidates
        if not any(
            cover[0] <= candidate[0] and candidate[1] <= cover[1] for cover in covers
        )
    ]


def blocked(dates, setup, tidy):
    """(start, end) dates widened by setup before and tidy-up after."""
    return [(start - setup, end + tidy) for start, end in dates]


# -- What a room holds between two instants (bounded reads) ---------------------


def slot_dates(room, lo, hi):
    """The room's agreed slot dates overlapping [lo, hi)."""
    dates = []
    for slot in room.slots.all():
        dates.extend(slot.dates(start=lo, end=hi))
    return dates


def closure_spans(room, lo, hi):
    return [
        (*closure.span, closure.reason)
        for closure in room.closures.all()
        if overlaps(*closure.span, lo, hi)
    ]


def confirmed_blocks(room, lo, hi, exclude_booking=None, exclude_event=None):
    """Confirmed bookings' blocked dates in [lo, hi) as (start, end, label,
    shown start, shown end)."""
    rows = (
        BookingDate.objects.filter(
            room=room,
            blocked_start__lt=hi,
            blocked_end__gt=lo,
            booking__status=Booking.Status.CONFIRMED,
        )
        .select_related("booking")
        .order_by("blocked_start")
    )
    if exclude_booking is not None and exclude_booking.pk:
        rows = rows.exclude(booking=exclude_booking)
    if exclude_event is not None and exclude_event.pk:
        rows = rows.exclude(booking__event=exclude_event.pk)
    return [
        (row.blocked_start, row.blocked_end, row.booking.purpose, row.start, row.end)
        for row in rows
    ]


def event_blocks(room, lo, hi, exclude_event=None):
    """Dates of live events placed in the room overlapping [lo, hi), read
    from the agenda's stored occurrences (one range query)."""
    rows = (
        Occurrence.objects.between(lo, hi)
        .not_cancelled()
        .filter(event__room=room)
        .select_related("event")
        .only("start", "end", "event__title")
    )
    if exclude_event is not None and exclude_event.pk:
        rows = rows.exclude(event_id=exclude_event.pk)
    return [(o.start, o.end, o.event.title, o.start, o.end) for o in rows]


def conflicts_for(room, dates, *, setup, tidy, exclude_booking=None, event=None):
    """Every reason why these dates cannot be held in the room, in date
    order. ``dates`` are (start, end); setup and tidy widen them."""
    if not dates:
        return []
    wanted = blocked(dates, setup, tidy)
    lo = min(start for start, _ in wanted)
    hi = max(end for _, end in wanted)
    found = []
    slots = slot_dates(room, lo - datetime.timedelta(days=1), hi)
    padded = bool(setup or tidy)
    for start, end in outside(wanted, slots):
        found.append(Conflict("outside", start, end, padded=padded))
    closures = closure_spans(room, lo, hi)
    for (start, end), closure in find_overlaps(wanted, closures):
        found.append(Conflict("closure", start, end, closure[2]))
    exclude_event = event
    if exclude_booking is not None and exclude_booking.event_id:
        exclude_event = EventPage(pk=exclude_booking.event_id)
    others = confirmed_blocks(
        room, lo, hi, exclude_booking=exclude_booking, exclude_event=event
    )
    for _wanted, other in find_overlaps(wanted, others):
        found.append(Conflict("booking", other[3], other[4], other[2]))
    events = event_blocks(room, lo, hi, exclude_event=exclude_event)
    for _wanted, other in find_overlaps(wanted, events):
        found.append(Conflict("event", other[3], other[4], other[2]))
    unique = {(c.kind, c.start, c.label): c for c in found}
    return sorted(unique.values(), key=lambda c: (c.start, c.kind))


def booking_conflicts(booking):
    return conflicts_for(
        booking.room,
        booking.planned_dates(),
        setup=booking.setup,
        tidy=booking.tidy,
        exclude_booking=booking,
    )


def pending_overlaps(booking):
    """Other pending requests for the same room whose stored dates meet this
    one's. Not a refusal (nothing is held until the médiathèque confirms),
    but both requests show it, so whoever decides knows they compete."""
    mine = [(row.blocked_start, row.blocked_end) for row in booking.booked_dates.all()]
    if not mine:
        return []
    lo = min(start for start, _ in mine)
    hi = max(end for _, end in mine)
    rows = (
        BookingDate.objects.filter(
            room_id=booking.room_id,
            blocked_start__lt=hi,
            blocked_end__gt=lo,
            booking__status=Booking.Status.PENDING,
        )
        .exclude(booking_id=booking.pk)
        .select_related("booking")
        .order_by("blocked_start")
    )
    others = [(row.blocked_start, row.blocked_end, row) for row in rows]
    found = {}
    for _mine, (_start, _end, row) in find_overlaps(mine, others):
        found[row.pk] = Conflict(
            "pending",
            row.start,
            row.end,
            row.booking.purpose,
            booking_pk=row.booking_id,
        )
    return sorted(found.values(), key=lambda c: c.start)


def refusal(conflicts):
    """One French message for a list of conflicts (the first few named)."""
    shown = conflicts[:3]
    message = " ".join(c.message for c in shown)
    if len(conflicts) > len(shown):
        message += " " + _("(et %(count)s autre(s) date(s) en conflit.)") % {
            "count": len(conflicts) - len(shown)
        }
    return message


# -- Requests and decisions ------------------------------------------------------


def store_dates(booking):
    """Rewrite the booking's stored dates from its first date and rule."""
    BookingDate.objects.filter(booking=booking).delete()
    BookingDate.objects.bulk_create(
        BookingDate(
            booking=booking,
            room_id=booking.room_id,
            start=start,
            end=end,
            blocked_start=start - booking.setup,
            blocked_end=end + booking.tidy,
        )
        for start, end in booking.planned_dates()
    )


def request_booking(booking, user):
    """Record a new request (pending) after checking it fits the room's
    slots and meets nothing confirmed; both sides are told by e-mail, the
    médiathèque with any pending request it competes with (those are shown,
    not refused: the médiathèque decides). Raises BookingRefused with the
    conflicts named."""
    conflicts = booking_conflicts(booking)
    if conflicts:
        raise BookingRefused(refusal(conflicts), conflicts=conflicts)
    with transaction.atomic():
        booking.requested_by = user
        booking.status = Booking.Status.PENDING
        booking.save()
        store_dates(booking)
    overlaps = pending_overlaps(booking)
    room_emails.send_request(booking, warnings=[c.message for c in overlaps])
    return booking


def confirm(booking, user, comment=""):
    """Confirm a pending booking, or refuse if it now meets a confirmed
    booking or an event of the room. Locked on the room."""
    with transaction.atomic():
        Room.objects.select_for_update().get(pk=booking.room_id)
        booking = Booking.objects.select_related("room").get(pk=booking.pk)
        if booking.status != Booking.Status.PENDING:
            raise BookingRefused(
                _("Cette demande a déjà été traitée (%(status)s).")
                % {"status": booking.get_status_display()}
            )
        conflicts = booking_conflicts(booking)
        if conflicts:
            raise BookingRefused(
                _("Impossible de confirmer : %(why)s") % {"why": refusal(conflicts)},
                conflicts=conflicts,
            )
        booking.status = Booking.Status.CONFIRMED
        _record_decision(booking, user, comment)
    room_emails.send_decision(booking)
    return booking


def decline(booking, user, comment):
    """Decline a pending booking; the comment says why and is required."""
    comment = (comment or "").strip()
    if not comment:
        raise BookingRefused(
            _("Indiquez à CLX pourquoi la demande est refusée."), status=400
        )
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.PENDING:
            raise BookingRefused(
                _("Cette demande a déjà été traitée (%(status)s).")
                % {"status": booking.get_status_display()}
            )
        booking.status = Booking.Status.DECLINED
        _record_decision(booking, user, comment)
    room_emails.send_decision(booking)
    return booking


def _record_decision(booking, user, comment):
    booking.decided_by = user
    booking.decided_at = timezone.now()
    booking.decision_comment = comment or ""
    booking.save(
        update_fields=["status", "decided_by", "decided_at", "decision_comment"]
    )


# -- Withdrawing and cancelling --------------------------------------------------

# Log actions (registered with their French wording in wagtail_hooks.py).
WITHDRAWN = "events.booking.withdrawn"
CANCELLED = "events.booking.cancelled"
DATE_CANCELLED = "events.booking.date_cancelled"
CANCEL_ACTIONS = (WITHDRAWN, CANCELLED, DATE_CANCELLED)


def acts_for_mediatheque(user):
    """Whether the user speaks for the médiathèque (who decides) rather than
    for CLX (who requests); the other side is the one told."""
    return user.has_perm(permissions.DECIDE_BOOKINGS)


def may_withdraw(user, booking):
    """CLX may withdraw a request while it waits (the médiathèque declines
    instead)."""
    return (
        booking.status == Booking.Status.PENDING
        and user.has_perm(permissions.REQUEST_BOOKINGS)
        and not acts_for_mediatheque(user)
    )


def may_cancel(user, booking):
    """Either partner may cancel a confirmed booking, or one of its dates."""
    return booking.status == Booking.Status.CONFIRMED and (
        acts_for_mediatheque(user) or user.has_perm(permissions.REQUEST_BOOKINGS)
    )


def upcoming_dates(booking, now=None):
    """The booking's stored dates not yet over: those that may be cancelled."""
    return booking.booked_dates.filter(end__gt=now or timezone.now())


def withdraw(booking, user):
    """CLX withdraws its pending request: it holds nothing any more, and the
    médiathèque is told so nobody decides on it."""
    if not may_withdraw(user, booking):
        raise BookingRefused(
            _("Seule une demande en attente peut être retirée, par CLX."), status=403
        )
    with transaction.atomic():
        booking = (
            # of=("self",): PostgreSQL locks no row of an outer join's
            # nullable side (requested_by).
            Booking.objects.select_for_update(of=("self",))
            .select_related("room", "requested_by")
            .get(pk=booking.pk)
        )
        if booking.status != Booking.Status.PENDING:
            raise BookingRefused(
                _("Cette demande a déjà été traitée (%(status)s).")
                % {"status": booking.get_status_display()}
            )
        booking.status = Booking.Status.CANCELLED
        booking.save(update_fields=["status"])
        log(instance=booking, action=WITHDRAWN, user=user)
    room_emails.send_cancellation(booking, "withdrawn", user, by_mediatheque=False)
    return booking


def cancel(booking, user, comment="", date_pk=None, now=None):
    """Cancel a confirmed booking (every date still to come) or, with
    ``date_pk``, one date of it. The freed dates' rows are deleted, so the
    room is free again on them at once; once no date is left to come, the
    booking is « Annulée ». The other partner is told by e-mail and the
    cancellation is logged with its dates. Locked on the room, as confirming
    is."""
    if not may_cancel(user, booking):
        raise BookingRefused(
            _("Seule une réservation confirmée peut être annulée."), status=403
        )
    now = now or timezone.now()
    comment = (comment or "").strip()
    with transaction.atomic():
        Room.objects.select_for_update().get(pk=booking.room_id)
        booking = Booking.objects.select_related("room", "requested_by").get(
            pk=booking.pk
        )
        if booking.status != Booking.Status.CONFIRMED:
            raise BookingRefused(
                _(
                    "Seule une réservation confirmée peut être annulée "
                    "(celle-ci est « %(status)s »)."
                )
                % {"status": booking.get_status_display().lower()}
            )
        upcoming = upcoming_dates(booking, now)
        if date_pk is not None:
            upcoming = upcoming.filter(pk=date_pk)
        freed = list(upcoming)
        if not freed:
            raise BookingRefused(
                _("Cette date n'est pas (ou plus) réservée : rien à annuler."),
                status=400,
            )
        BookingDate.objects.filter(pk__in=[row.pk for row in freed]).delete()
        whole = not upcoming_dates(booking, now).exists()
        if whole:
            booking.status = Booking.Status.CANCELLED
            booking.save(update_fields=["status"])
        log(
            instance=booking,
            action=CANCELLED if whole else DATE_CANCELLED,
            user=user,
            data={
                "dates": [format_span(row.start, row.end) for row in freed],
                "comment": comment,
            },
        )
    room_emails.send_cancellation(
        booking,
        "cancelled" if whole else "date_cancelled",
        user,
        by_mediatheque=acts_for_mediatheque(user),
        dates=[format_span(row.start, row.end) for row in freed],
        comment=comment,
    )
    return booking, freed


# -- Events in rooms ---------------------------------------------------------------


def event_conflicts(event, now=None):
    """Why an event (maybe unsaved, as the editor holds it) cannot be held
    in its room: its dates still to come, outside the slots or over another
    booking or event."""
    if not event.room_id or not event.start or not event.end:
        return []
    if event.end <= event.start:
        return []
    now = now or timezone.now()
    dates = [
        (occ.start, occ.end)
        for occ in recurrence.expand(event, start=now)
        if not occ.cancelled
    ]
    return conflicts_for(
        event.room,
        dates,
        setup=datetime.timedelta(0),
        tidy=datetime.timedelta(0),
        event=event,
    )


def placement_errors(event):
    """{"room": [messages]} for EventPage.clean(), or {}."""
    conflicts = event_conflicts(event)
    if not conflicts:
        return {}
    return {
        "room": [
            _("Cette salle n'est pas libre : %(why)s") % {"why": refusal(conflicts)}
        ]
    }


def requesting_partner(booking):
    """The partner whose account asked for the room (CLX, as a rule): the
    event made from the booking is « organisé par » it."""
    user = booking.requested_by
    if user is None:
        return None
    slugs = {
        roles.PARTNER_OF_ROLE[name]
        for name in user.groups.values_list("name", flat=True)
        if name in roles.PARTNER_OF_ROLE
    }
    if len(slugs) != 1:
        return None
    partners = EventPage._meta.get_field("partners").related_model
    return partners.objects.filter(slug=slugs.pop()).first()


def draft_event(booking, user, agenda):
    """A draft event under ``agenda`` with the confirmed booking's room and
    dates, linked to the booking (which then no longer conflicts with it)."""
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingRefused(
            _("Seule une réservation confirmée peut devenir un événement."),
            status=400,
        )
    if booking.event_id:
        raise BookingRefused(
            _("Un événement a déjà été créé à partir de cette réservation."),
            status=409,
        )
    partner = requesting_partner(booking)
    event = EventPage(
        title=booking.purpose,
        summary=booking.details[:300] or booking.purpose,
        start=booking.start,
        end=booking.end,
        recurrence=booking.recurrence,
        recurrence_rule=booking.recurrence_rule,
        recurrence_until=booking.recurrence_until,
        recurrence_count=booking.recurrence_count,
        room=booking.room,
        venue=booking.room.venue,
        live=False,
        owner=user,
    )
    with transaction.atomic():
        if partner is not None:
            event.partners = [partner]
        agenda.add_child(instance=event)
        event.save_revision(user=user, log_action=True, clean=False)
        Booking.objects.filter(pk=booking.pk).update(event=event)
    booking.event = event
    return event


# -- A room's month --------------------------------------------------------------


def month_days(room, year, month):
    """Every day of a month in the room, each with its entries in time
    order: agreed slots (« Créneau convenu »), closures, bookings pending
    or confirmed (each entry of a booking carries it, `booking`) and events.
    A closure wins over the slots: no « Créneau convenu » on a closed day;
    it is shown on each of its days in the month with its whole span (a
    closure over New Year does not stop on the 31st)."""
    first = datetime.date(year, month, 1)
    following = first + datetime.timedelta(days=calendar.monthrange(year, month)[1])
    lo, hi = recurrence.month_bounds(year, month)
    items = {}

    def add(start, end, kind, label, booking=None):
        day = timezone.localtime(start).date()
        items.setdefault(day, []).append(
            {
                "kind": kind,
                "label": label,
                "when": format_span(start, end),
                "start": start,
                "booking": booking,
            }
        )

    closures = closure_spans(room, lo, hi)
    for start, end in slot_dates(room, lo, hi):
        if not any(overlaps(start, end, c[0], c[1]) for c in closures):
            add(start, end, "slot", _("Créneau convenu"))
    for start, end, reason in closures:
        first_day = timezone.localtime(start).date()
        last_day = timezone.localtime(end).date() - datetime.timedelta(days=1)
        span = _("fermée du %(first)s au %(last)s") % {
            "first": formats.day(first_day),
            "last": formats.day(last_day),
        }
        day = max(first_day, first)
        while day <= last_day and day < following:
            items.setdefault(day, []).append(
                {
                    "kind": "closure",
                    "label": reason,
                    "when": span,
                    "start": recurrence.midnight(day),
                    "booking": None,
                }
            )
            day += datetime.timedelta(days=1)
    for row in (
        BookingDate.objects.filter(room=room, blocked_start__lt=hi, blocked_end__gt=lo)
        .exclude(
            booking__status__in=[Booking.Status.DECLINED, Booking.Status.CANCELLED]
        )
        .select_related("booking")
    ):
        booking = row.booking
        add(
            row.start,
            row.end,
            "booking-" + booking.status,
            f"{booking.purpose} ({booking.get_status_display().lower()})",
            booking,
        )
    for start, end, title, _s, _e in event_blocks(room, lo, hi):
        add(start, end, "event", title)
    days = []
    day = first
    while day < following:
        entries = sorted(items.get(day, []), key=lambda item: item["start"])
        days.append({"date": day, "entries": entries})
        day += datetime.timedelta(days=1)
    return days
