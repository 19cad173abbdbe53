"""Who gets a seat at an occurrence of an event.

The rule: a registration from the public form holds its seats for
`REGISTRATION_HOLD_MINUTES` (30) while its address confirms through the link
of the mail (a page with a button: a GET never confirms, mail scanners
follow links); a hold not confirmed in time is erased and its seats go to
the waiting list. Held seats count as taken, for the public as for the
waiting list; staff see them « en attente de confirmation ». Seats are given
in the order requests arrive while confirmed and held seats stay within the
event's capacity; whoever does not fit asks for the waiting list, which
counts them once their address is confirmed. Cancelling frees the seats and
the waiting list is served in order: each confirmed waiting registration
that fits is confirmed and told by e-mail (one that needs more seats keeps
its place). Nobody is told a rank: it would count other people's
registrations.

One network (an IPv4 address, an IPv6 /64) registers to one date at most a
few times an hour (the `registration-network` rate limit, a French 429). The
count is of requests, stored or not, so it tells nothing about who is
registered.

Only its owner changes a registration. The public form never modifies one:
the same e-mail address (any letter case) registering again for the same
occurrence gets exactly the answer a new registration would get, nothing is
stored, and the address is e-mailed a « gérer mon inscription » message
whose signed link lets its owner change the seats (within what is free) or
cancel (or, while unconfirmed, the confirmation mail again). No answer
reveals whether, or how, someone else is registered.

Seats are decided inside one transaction that holds a row lock
(`select_for_update`) on the occurrence's `RegistrationList`, so concurrent
requests can never oversell; each decision first erases the occurrence's
overdue holds under that lock, and `expire_registration_holds` (cron) does it
for the dates nobody touches. Registration closes at the start of the
occurrence, when the occurrence is cancelled, and when staff close it (for
the whole event or for one occurrence).
"""

import enum
import ipaddress
import logging
import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from events.models import EventPage, Registration, RegistrationList
from events.models.locks import format_start
from events.registrations import emails
from events.registrations.links import hold_expired
from portal import auditlog, ratelimit
from portal.errors import Refused
from portal.prepared import prepared_query

logger = logging.getLogger(__name__)


class RegistrationClosed(Refused):
    """Nobody can register to this occurrence now; `message` says why, in
    French, and `status` is the HTTP status a request should get."""

    status = 403


class TooManyRegistrations(RegistrationClosed):
    """One network registered too often to this occurrence: a 429, with the
    seconds to wait in `retry_after`."""

    def __init__(self, message, retry_after):
        super().__init__(message, 429)
        self.retry_after = retry_after


class SeatsUnavailable(Exception):
    """A confirmed registration asked for more seats than are left; it is
    kept as it was."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Outcome:
    """What a request gets told. For a repeated registration, `registration`
    is the unsaved answer a new one would have got (the stored one is left
    as it was and its owner e-mailed). No rank on the waiting list: it would
    count other people's registrations."""

    registration: Registration
    created: bool
    promoted: list = field(default_factory=list)

    @property
    def confirmed(self):
        return self.registration.is_confirmed


# -- When one may register ---------------------------------------------------


def event_closed_reason(event, now=None):
    """Why the whole event takes no registration now (see closed_reason)."""
    now = now or timezone.now()
    if event.capacity is None:
        return RegistrationClosed(
            _("Cet événement est en accès libre : il n'y a pas d'inscription."), 404
        )
    if event.registration_closed:
        return RegistrationClosed(
            _("Les inscriptions à cet événement sont fermées par l'équipe."), 403
        )
    opens_at = event.registration_opens_at
    if opens_at and now < opens_at:
        return RegistrationClosed(
            _("Les inscriptions ouvriront le %(date)s.")
            % {"date": format_start(opens_at)},
            403,
        )
    return None


def closed_reason(event, occurrence, now=None, registration_list=None):
    """Why nobody may register to this occurrence now, as a
    `RegistrationClosed` (not raised), or None when registration is open."""
    now = now or timezone.now()
    if event.capacity is None:
        return event_closed_reason(event, now)
    if occurrence is None:
        return RegistrationClosed(
            _("Cette date ne fait pas partie des séances de cet événement."), 404
        )
    if occurrence.cancelled:
        message = _("Cette séance est annulée.")
        if occurrence.cancel_reason:
            message = f"{message} {occurrence.cancel_reason}"
        return RegistrationClosed(message, 410)
    if occurrence.start <= now:
        return RegistrationClosed(
            _(
                "Cette séance a déjà commencé ou est passée : les inscriptions "
                "sont closes."
            ),
            410,
        )
    if registration_list is not None and registration_list.is_closed:
        return RegistrationClosed(
            _("Les inscriptions à cette séance sont fermées par l'équipe."), 403
        )
    return event_closed_reason(event, now)


def occurrence_states(event, occurrences):
    """{start: (registration list or None, seats taken)} for these
    occurrences, in one query; seats held for an address to confirm are
    taken. Every occurrence with registrations has its
    RegistrationList (`register` creates it), which carries the seat count."""
    starts = [o.start for o in occurrences]
    lists = _registration_lists(event.pk, starts) if starts else []
    found = {rl.occurrence_start: (rl, rl.taken or 0) for rl in lists}
    return {o.start: found.get(o.start, (None, 0)) for o in occurrences}


def lists_with_seats_taken():
    """Registration lists, each with the seats its registrations hold
    (`taken`: confirmed, and held for an address to confirm), counted in the
    same query: what the event page, the home cards and the programme show."""
    taken_seats = (
        Registration.objects.holding_seats()
        .filter(
            event_id=OuterRef("event_id"),
            occurrence_start=OuterRef("occurrence_start"),
        )
        .values("event_id")
        .annotate(total=Sum("seats"))
        .values("total")
    )
    return RegistrationList.objects.annotate(taken=Subquery(taken_seats))


@prepared_query
def _registration_lists(event_pk, starts):
    return lists_with_seats_taken().filter(event=event_pk, occurrence_start__in=starts)


def open_occurrences(event, now=None, limit=12, occurrences=None):
    """The next occurrences one may register to, each with its free seats,
    as (occurrence, free seats) pairs; one query (plus computing the
    occurrences when they are not given)."""
    now = now or timezone.now()
    if event.capacity is None:
        return []
    if occurrences is None:
        occurrences = event.occurrences(start=now)
    upcoming = [o for o in occurrences if o.start > now]
    states = occurrence_states(event, upcoming)
    result = []
    for occurrence in upcoming:
        registration_list, taken = states[occurrence.start]
        if closed_reason(event, occurrence, now, registration_list) is None:
            result.append((occurrence, max(0, event.capacity - taken)))
    return result[:limit]


# -- What the public is told about seats --------------------------------------


class Availability(enum.Enum):
    """The band a public page shows instead of the number of free seats.

    An exact count would tell a stranger whether an address is already
    registered: registering it again answers « confirmée » as usual, but
    the count then does not drop. A band changes only at its edges, so one
    repeated registration almost never shows. Staff see the numbers in the
    admin."""

    AVAILABLE = "available"
    LAST_SEATS = "last-seats"
    FULL = "full"

    @property
    def is_full(self):
        return self is Availability.FULL

    @property
    def is_last_seats(self):
        return self is Availability.LAST_SEATS


def last_seats_threshold(event):
    """« Dernières places » from a fifth of the capacity left (2 at least)."""
    return max(2, math.ceil((event.capacity or 0) / 5))


def availability(event, free):
    if free <= 0:
        return Availability.FULL
    if free <= last_seats_threshold(event):
        return Availability.LAST_SEATS
    return Availability.AVAILABLE


def public_occurrences(event, pairs):
    """(occurrence, free seats) pairs as the public sees them:
    (occurrence, Availability)."""
    return [(occurrence, availability(event, free)) for occurrence, free in pairs]


# -- Counting ----------------------------------------------------------------


def occurrence_counts(event, occurrence_start):
    """Confirmed seats, seats held for an address to confirm (« en attente
    de confirmation »), waiting registrations (address confirmed) and their
    seats, cancelled ones."""
    pending = Q(status=Registration.Status.PENDING)
    waiting = Q(status=Registration.Status.WAITING, hold_expires_at__isnull=True)
    counts = Registration.objects.for_occurrence(event, occurrence_start).aggregate(
        confirmed_seats=Sum("seats", filter=Q(status=Registration.Status.CONFIRMED)),
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        pending_seats=Sum("seats", filter=pending),
        pending=Count("pk", filter=pending),
        # The waiting list proper: requests whose address has confirmed.
        waiting=Count("pk", filter=waiting),
        waiting_seats=Sum("seats", filter=waiting),
        cancelled=Count("pk", filter=Q(status=Registration.Status.CANCELLED)),
    )
    return {key: value or 0 for key, value in counts.items()}


def max_seats(event):
    """How many seats one registration may book."""
    return max(1, min(event.max_seats_per_registration or 1, event.capacity or 1))


def free_seats(event, occurrence_start):
    """Seats neither confirmed nor held for an address to confirm."""
    counts = occurrence_counts(event, occurrence_start)
    taken = counts["confirmed_seats"] + counts["pending_seats"]
    return max(0, (event.capacity or 0) - taken)


def hold_duration():
    """How long a registration holds its seats before its address confirms."""
    return timedelta(minutes=settings.REGISTRATION_HOLD_MINUTES)


def network_of(address):
    """The network a visitor's address stands for: an IPv4 address itself,
    an IPv6 address's /64 (what one household or phone gets)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


# -- Deciding seats ------------------------------------------------------------


def _locked_list(event, occurrence_start, now):
    """The occurrence's RegistrationList, locked until the transaction ends,
    once the overdue holds are erased (and the waiting list served). Every
    decision about the occurrence's seats goes through this lock."""
    registration_list = RegistrationList.locked(event, occurrence_start)
    _expire_holds(event, occurrence_start, now)
    return registration_list


def _expire_holds(event, occurrence_start, now):
    """Erase the occurrence's registrations whose address did not confirm
    in time, then serve the waiting list. Caller holds the lock."""
    overdue = Registration.objects.for_occurrence(event, occurrence_start).overdue(now)
    # Never confirmed, so nobody's registration: nothing of it is kept.
    erased, _per_model = overdue.delete()
    if erased:
        for other in _serve_waiting_list(event, occurrence_start, now):
            _notify(other, "promoted")
    return erased


def _taken_seats(event, occurrence_start, exclude_pk=None):
    queryset = Registration.objects.for_occurrence(
        event, occurrence_start
    ).holding_seats()
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.aggregate(total=Sum("seats"))["total"] or 0


def _serve_waiting_list(event, occurrence_start, now):
    """Confirm, in order, each waiting registration that fits, among those
    whose address is confirmed. Caller holds the lock."""
    free = event.capacity - _taken_seats(event, occurrence_start)
    promoted = []
    for waiting in (
        Registration.objects.for_occurrence(event, occurrence_start)
        .waiting()
        .filter(hold_expires_at__isnull=True)
    ):
        if free <= 0:
            break
        if waiting.seats <= free:
            waiting.status = Registration.Status.CONFIRMED
            waiting.confirmed_at = waiting.promoted_at = now
            waiting.save(
                update_fields=["status", "confirmed_at", "promoted_at", "updated_at"]
            )
            free -= waiting.seats
            promoted.append(waiting)
    return promoted


def _count_network(event, occurrence, client):
    """One more registration to the occurrence from the client's network;
    TooManyRegistrations past the `registration-network` limit."""
    if client is None:
        return
    key = f"{network_of(client)} {event.pk} {occurrence.start.isoformat()}"
    try:
        ratelimit.hit("registration-network", key)
    except ratelimit.RateLimited as limited:
        allowed, _window = ratelimit.get_limit("registration-network")
        raise TooManyRegistrations(
            _(
                "Trop d'inscriptions à cette séance depuis votre connexion : "
                "%(allowed)d par heure au plus, chacune à confirmer par le lien "
                "reçu par e-mail. Pour inscrire d'autres personnes, réessayez "
                "dans %(minutes)d minutes ou contactez la médiathèque."
            )
            % {
                "allowed": allowed,
                "minutes": max(1, math.ceil(limited.retry_after / 60)),
            },
            limited.retry_after,
        ) from None


def register(
    event, occurrence, *, name, email, phone="", seats=1, client=None, now=None
):
    """Ask seats at the occurrence for `email`, from the visitor's address
    `client` (None: not counted against a network).

    The registration holds its seats (or asks for the waiting list) until
    its address confirms through the mail's link (`confirm`). Raises
    RegistrationClosed when the occurrence is not open (TooManyRegistrations
    past the network's limit), and SeatsUnavailable when `seats` is outside
    what one registration may book. An address already registered is
    answered as if new, its registration is left untouched and its owner
    gets the « gérer mon inscription » e-mail (the confirmation mail again
    while unconfirmed). The e-mails are queued with the decision."""
    now = now or timezone.now()
    email = email.strip().lower()
    if not 1 <= seats <= max_seats(event):
        raise SeatsUnavailable(
            _("Vous pouvez réserver de 1 à %(max)d place(s) par inscription.")
            % {"max": max_seats(event)}
        )
    with transaction.atomic():
        registration_list = _locked_list(event, occurrence.start, now)
        # Read again under the lock: staff may have just closed it.
        reason = closed_reason(event, occurrence, now, registration_list)
        if reason:
            raise reason
        # Counted whether or not the address is already registered: the
        # limit tells nothing about anyone's registration.
        _count_network(event, occurrence, client)
        existing = (
            Registration.objects.for_occurrence(event, occurrence.start)
            .active()
            .filter(email=email)
            .first()
        )
        free = event.capacity - _taken_seats(event, occurrence.start)
        registration = Registration(
            event=event,
            occurrence_start=occurrence.start,
            email=email,
            name=name.strip(),
            phone=phone.strip(),
            seats=seats,
            queued_at=now,
            consent_at=now,
            hold_expires_at=now + hold_duration(),
            status=(
                Registration.Status.PENDING
                if seats <= free
                else Registration.Status.WAITING
            ),
        )
        if existing is None:
            registration.save()
            _notify(registration, "confirm")
        elif existing.awaits_confirmation:
            # Nothing stored (only the owner's link changes a booking); the
            # owner may have missed the first mail.
            _notify(existing, "confirm")
        else:
            _notify(existing, "manage")
    return Outcome(registration=registration, created=True)


def confirm(registration, now=None):
    """The owner confirms the address through the mail's link (a POST): a
    held seat becomes a confirmed one; on the waiting list, the request now
    counts (and is served at once when seats are free). The owner is then
    e-mailed the registration with its cancel and manage links. Confirming
    again changes nothing. Raises InvalidCancelLink once the hold expired,
    RegistrationClosed once cancelled."""
    now = now or timezone.now()
    with transaction.atomic():
        _locked_list(registration.event, registration.occurrence_start, now)
        current = (
            Registration.objects.select_related("event")
            .filter(pk=registration.pk)
            .first()
        )
        if current is None:
            raise hold_expired()
        if current.is_cancelled:
            raise RegistrationClosed(_("Cette inscription est annulée."), 410)
        if not current.awaits_confirmation:
            return Outcome(registration=current, created=False)
        current.hold_expires_at = None
        if current.is_pending:
            current.status = Registration.Status.CONFIRMED
            current.confirmed_at = now
        current.save(
            update_fields=["status", "confirmed_at", "hold_expires_at", "updated_at"]
        )
        promoted = []
        if current.is_waiting:
            promoted = _serve_waiting_list(current.event, current.occurrence_start, now)
            current.refresh_from_db()
        for other in promoted:
            if other.pk != current.pk:
                _notify(other, "promoted")
        _notify(current, "received")
    return Outcome(registration=current, created=False, promoted=promoted)


def expire_holds(now=None):
    """Erase every registration whose address did not confirm in time and
    serve the waiting lists that frees; returns how many were erased.
    `expire_registration_holds` runs it every few minutes."""
    now = now or timezone.now()
    dates = set(
        Registration.objects.overdue(now).values_list("event_id", "occurrence_start")
    )
    events = EventPage.objects.in_bulk({event_id for event_id, _start in dates})
    erased = 0
    for event_id, occurrence_start in sorted(dates, key=lambda date: date[1]):
        with transaction.atomic():
            RegistrationList.locked(event_id, occurrence_start)
            erased += _expire_holds(events[event_id], occurrence_start, now)
    return erased


def change_seats(registration, seats, now=None):
    """The owner, through the private link, books `seats` seats instead.

    A confirmed registration may grow only within the free seats (it is then
    kept as it was, SeatsUnavailable); a waiting one keeps its place in the
    queue. Fewer seats serve the waiting list. Raises RegistrationClosed once
    cancelled or started, and when staff closed registration and more seats
    are asked for."""
    now = now or timezone.now()
    event = registration.event
    if not 1 <= seats <= max_seats(event):
        raise SeatsUnavailable(
            _("Vous pouvez réserver de 1 à %(max)d place(s) par inscription.")
            % {"max": max_seats(event)}
        )
    with transaction.atomic():
        registration_list = _locked_list(event, registration.occurrence_start, now)
        if not _reload(registration):
            raise hold_expired()
        if registration.is_cancelled:
            raise RegistrationClosed(_("Cette inscription est annulée."), 410)
        if registration.occurrence_start <= now:
            raise RegistrationClosed(
                _("L'atelier a déjà commencé ou est passé : il ne peut plus changer."),
                410,
            )
        occurrence = event.get_occurrence(registration.occurrence_start)
        reason = closed_reason(event, occurrence, now, registration_list)
        if reason and seats > registration.seats:
            raise reason
        if registration.is_confirmed or registration.is_pending:
            free = event.capacity - _taken_seats(
                event, registration.occurrence_start, exclude_pk=registration.pk
            )
            if seats > free:
                raise SeatsUnavailable(
                    _(
                        "Il ne reste pas assez de places : vous pouvez en réserver "
                        "au plus %(free)d. Votre inscription est conservée telle "
                        "quelle."
                    )
                    % {"free": max(free, 1)}
                )
        registration.seats = seats
        registration.save(update_fields=["seats", "updated_at"])
        promoted = _serve_waiting_list(event, registration.occurrence_start, now)
        registration.refresh_from_db()
        outcome = Outcome(registration=registration, created=False, promoted=promoted)
        for other in promoted:
            _notify(other, "promoted")
    return outcome


def cancel(registration, now=None):
    """Cancel the registration and serve the waiting list. Returns the
    registrations promoted (they have been e-mailed). Cancelling twice is a
    no-op that returns None."""
    now = now or timezone.now()
    with transaction.atomic():
        _locked_list(registration.event, registration.occurrence_start, now)
        if not _reload(registration) or registration.is_cancelled:
            return None
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        promoted = _serve_waiting_list(
            registration.event, registration.occurrence_start, now
        )
        for other in promoted:
            _notify(other, "promoted")
    return promoted


def erase(registration, user=None, now=None):
    """Staff erase a registration (on request): an upcoming one is first
    cancelled, so the waiting list is served and told; then it is deleted,
    its log entries no longer name the person, and the deletion is logged
    under an anonymous label."""
    now = now or timezone.now()
    with transaction.atomic():
        if registration.occurrence_start > now:
            cancel(registration, now=now)
        pk = registration.pk
        Registration.objects.filter(pk=pk).delete()
        label = erased_label(pk)
        auditlog.scrub(Registration, [pk], label)
        log(
            instance=Registration(pk=pk),
            action="wagtail.delete",
            user=user,
            title=label,
        )


def erased_label(pk):
    return _("Inscription effacée n° %(pk)s") % {"pk": pk}


def serve_waiting_list(event, occurrence_start, now=None):
    """After staff raised the capacity: confirm whoever now fits."""
    now = now or timezone.now()
    with transaction.atomic():
        _locked_list(event, occurrence_start, now)
        promoted = _serve_waiting_list(event, occurrence_start, now)
        for other in promoted:
            _notify(other, "promoted")
    return promoted


def close(event, occurrence_start, now=None):
    """Staff close registration to one occurrence. Returns False when it was
    already closed."""
    now = now or timezone.now()
    with transaction.atomic():
        registration_list = _locked_list(event, occurrence_start, now)
        if registration_list.is_closed:
            return False
        registration_list.closed_at = now
        registration_list.save(update_fields=["closed_at"])
    return True


def _reload(registration):
    """Refresh `registration` from the database; False once it is gone (an
    expired hold)."""
    try:
        registration.refresh_from_db()
    except Registration.DoesNotExist:
        return False
    return True


def _notify(registration, kind):
    # Called inside the seat transaction: the mail is queued with the
    # decision (portal.mail), so it is sent if and only if the seat holds.
    # A mail that cannot even be built must not cost the registration.
    try:
        emails.send(registration, kind)
    except Exception:
        logger.exception("Could not send the %s e-mail of %s", kind, registration.pk)


# --- Erasure on schedule ---------------------------------------------------


def purge(cutoff, now, dry_run=False):
    """Delete the registrations of occurrences that started before
    ``cutoff``; each occurrence's RegistrationList keeps only anonymous
    counts (confirmed seats, people present) and the audit log loses the
    names. Returns (registrations erased, occurrences). ``purge_registrations``
    runs it daily."""
    occurrences = (
        Registration.objects.filter(occurrence_start__lt=cutoff)
        .values("event_id", "occurrence_start")
        .annotate(
            total=Count("pk"),
            confirmed_seats=Sum(
                "seats", filter=Q(status=Registration.Status.CONFIRMED)
            ),
            attended=Count("pk", filter=Q(attended=True)),
        )
        .order_by("occurrence_start")
    )
    return RegistrationList.purge(occurrences, _erase_registrations, now, dry_run)


def _erase_registrations(registration_list, occurrence):
    """Erase one occurrence's registrations, keeping on its (locked)
    RegistrationList the confirmed seats and the people present."""
    registration_list.purged_confirmed_seats += occurrence["confirmed_seats"] or 0
    registration_list.purged_attended += occurrence["attended"]
    doomed = Registration.objects.filter(
        event_id=occurrence["event_id"],
        occurrence_start=occurrence["occurrence_start"],
    )
    pks = list(doomed.values_list("pk", flat=True))
    deleted, _detail = doomed.delete()
    # The audit log keeps what happened, not who it was.
    for pk in pks:
        auditlog.scrub(Registration, [pk], erased_label(pk))
    return deleted


# --- What the public form offers --------------------------------------------


class NothingOpen(RegistrationClosed):
    """No date of the event takes registrations now: a page that says so
    (a 200 for a visitor who only looks, a 404 for a POST)."""


@dataclass
class FormDates:
    """The dates the public form offers. `selected` is the one date asked
    for (``?date=``, the posted one, or the only open one), or None when
    the person chooses in `occurrences`; `choices` are (occurrence,
    Availability) pairs, bands and never the number of free seats."""

    selected: object
    occurrences: list
    choices: list
    hold_minutes: int

    @property
    def selected_availability(self):
        return next(
            (band for occurrence, band in self.choices if occurrence is self.selected),
            None,
        )


def form_dates(event, key, now=None, posted=False):
    """What the public form of `event` offers for the date `key` (empty:
    every open one), or the reason it offers nothing, raised as a
    `RegistrationClosed` (`NothingOpen` when no date is open). `key` must
    be a stored date of the event: anything else is a French 404."""
    now = now or timezone.now()
    if event.capacity is None:
        raise closed_reason(event, None, now)
    selected = None
    if key:
        selected = event.get_occurrence(key)
        registration_list, taken = (
            occurrence_states(event, [selected])[selected.start]
            if selected
            else (None, 0)
        )
        reason = closed_reason(event, selected, now, registration_list)
        if reason:
            raise reason
        pairs = [(selected, max(0, event.capacity - taken))]
    else:
        pairs = open_occurrences(event, now)
        if not pairs:
            raise NothingOpen(
                _("Aucune séance n'est ouverte aux inscriptions pour le moment."),
                404 if posted else 200,
            )
        if len(pairs) == 1:
            selected = pairs[0][0]
    return FormDates(
        selected=selected,
        occurrences=[occurrence for occurrence, _free in pairs],
        choices=public_occurrences(event, pairs),
        hold_minutes=int(hold_duration().total_seconds() // 60),
    )
