"""Who gets a seat at an occurrence of an event.

The rule: registrations are confirmed in the order they arrive while the
confirmed seats stay within the event's capacity; whoever does not fit joins
the waiting list. Cancelling frees the seats and the waiting list is served
in order: each waiting registration that fits in the free seats is confirmed
and told by e-mail (one that needs more seats keeps its place).

Only its owner changes a registration. The public form never modifies one:
the same e-mail address (any letter case) registering again for the same
occurrence gets exactly the answer a new registration would get, nothing is
stored, and the address is e-mailed a « gérer mon inscription » message
whose signed link lets its owner change the seats (within what is free) or
cancel. No answer reveals whether, or how, someone else is registered.

Seats are decided inside one transaction that holds a row lock
(`select_for_update`) on the occurrence's `RegistrationList`, so concurrent
requests can never oversell. Registration closes at the start of the
occurrence, when the occurrence is cancelled, and when staff close it (for
the whole event or for one occurrence).
"""

import enum
import logging
import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from portal import auditlog

from .models import Registration, RegistrationList
from .models.registrations import format_start
from .signals import registration_notice

logger = logging.getLogger(__name__)

CANCEL_SALT = "events.registration.cancel"
MANAGE_SALT = "events.registration.manage"
# A cancel link stays valid long enough for events announced months ahead.
CANCEL_LINK_MAX_AGE = timedelta(days=400)


class RegistrationClosed(Exception):
    """Nobody can register to this occurrence now; `message` says why, in
    French, and `status` is the HTTP status a request should get."""

    def __init__(self, message, status=403):
        super().__init__(message)
        self.message = message
        self.status = status


class SeatsUnavailable(Exception):
    """A confirmed registration asked for more seats than are left; it is
    kept as it was."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class InvalidCancelLink(Exception):
    def __init__(self, message, status):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Outcome:
    """What a request gets told. For a repeated registration, `registration`
    is the unsaved answer a new one would have got (the stored one is left
    as it was and its owner e-mailed)."""

    registration: Registration
    created: bool
    position: int | None = None
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
    """{start: (registration list or None, confirmed seats)} for these
    occurrences, in one query. Every occurrence with registrations has its
    RegistrationList (`register` creates it), which carries the seat count."""
    confirmed_seats = (
        Registration.objects.filter(
            event_id=OuterRef("event_id"),
            occurrence_start=OuterRef("occurrence_start"),
            status=Registration.Status.CONFIRMED,
        )
        .values("event_id")
        .annotate(total=Sum("seats"))
        .values("total")
    )
    lists = RegistrationList.objects.filter(
        event=event, occurrence_start__in=[o.start for o in occurrences]
    ).annotate(taken=Subquery(confirmed_seats))
    found = {rl.occurrence_start: (rl, rl.taken or 0) for rl in lists}
    return {o.start: found.get(o.start, (None, 0)) for o in occurrences}


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
    """Confirmed seats, waiting registrations and seats, cancelled ones."""
    counts = Registration.objects.for_occurrence(event, occurrence_start).aggregate(
        confirmed_seats=Sum("seats", filter=Q(status=Registration.Status.CONFIRMED)),
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
        waiting_seats=Sum("seats", filter=Q(status=Registration.Status.WAITING)),
        cancelled=Count("pk", filter=Q(status=Registration.Status.CANCELLED)),
    )
    return {key: value or 0 for key, value in counts.items()}


def max_seats(event):
    """How many seats one registration may book."""
    return max(1, min(event.max_seats_per_registration or 1, event.capacity or 1))


def free_seats(event, occurrence_start):
    confirmed = occurrence_counts(event, occurrence_start)["confirmed_seats"]
    return max(0, (event.capacity or 0) - confirmed)


def waiting_position(registration):
    """1 for the first on the waiting list; None when not waiting."""
    if not registration.is_waiting:
        return None
    ahead = (
        Registration.objects.for_occurrence(
            registration.event_id, registration.occurrence_start
        )
        .filter(status=Registration.Status.WAITING)
        .filter(
            Q(queued_at__lt=registration.queued_at)
            | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1


# -- Deciding seats ------------------------------------------------------------


def _locked_list(event, occurrence_start):
    """The occurrence's RegistrationList, locked until the transaction ends.
    Every decision about the occurrence's seats goes through this lock."""
    registration_list, _created = RegistrationList.objects.get_or_create(
        event=event, occurrence_start=occurrence_start
    )
    return RegistrationList.objects.select_for_update().get(pk=registration_list.pk)


def _confirmed_seats(event, occurrence_start, exclude_pk=None):
    queryset = Registration.objects.for_occurrence(event, occurrence_start).confirmed()
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.aggregate(total=Sum("seats"))["total"] or 0


def _serve_waiting_list(event, occurrence_start, now):
    """Confirm, in order, each waiting registration that fits. Caller holds
    the lock."""
    free = event.capacity - _confirmed_seats(event, occurrence_start)
    promoted = []
    for waiting in Registration.objects.for_occurrence(
        event, occurrence_start
    ).waiting():
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


def _waiting_count(event, occurrence_start):
    return (
        Registration.objects.for_occurrence(event, occurrence_start).waiting().count()
    )


def register(event, occurrence, *, name, email, phone="", seats=1, now=None):
    """Register `email` to the occurrence.

    Raises RegistrationClosed when the occurrence is not open, and
    SeatsUnavailable when `seats` is outside what one registration may book.
    An address already registered is answered as if new, its registration is
    left untouched and its owner gets the « gérer mon inscription » e-mail.
    The e-mails are queued with the decision."""
    now = now or timezone.now()
    email = email.strip().lower()
    if not 1 <= seats <= max_seats(event):
        raise SeatsUnavailable(
            _("Vous pouvez réserver de 1 à %(max)d place(s) par inscription.")
            % {"max": max_seats(event)}
        )
    with transaction.atomic():
        registration_list = _locked_list(event, occurrence.start)
        # Read again under the lock: staff may have just closed it.
        reason = closed_reason(event, occurrence, now, registration_list)
        if reason:
            raise reason
        existing = (
            Registration.objects.for_occurrence(event, occurrence.start)
            .active()
            .filter(email=email)
            .first()
        )
        free = event.capacity - _confirmed_seats(event, occurrence.start)
        registration = Registration(
            event=event,
            occurrence_start=occurrence.start,
            email=email,
            name=name.strip(),
            phone=phone.strip(),
            seats=seats,
            queued_at=now,
            consent_at=now,
        )
        if seats <= free:
            registration.status = Registration.Status.CONFIRMED
            registration.confirmed_at = now
        else:
            registration.status = Registration.Status.WAITING
        if existing is not None:
            # The answer a new registration would get, computed the same way,
            # but nothing is stored: only the owner's link changes a booking.
            position = (
                None
                if registration.is_confirmed
                else _waiting_count(event, occurrence.start) + 1
            )
            outcome = Outcome(
                registration=registration, created=True, position=position
            )
        else:
            registration.save()
            outcome = Outcome(
                registration=registration,
                created=True,
                position=waiting_position(registration),
            )
        if existing is not None:
            _notify(existing, "manage")
        else:
            _notify(outcome.registration, "received", position=outcome.position)
    return outcome


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
        registration_list = _locked_list(event, registration.occurrence_start)
        registration.refresh_from_db()
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
        if registration.is_confirmed:
            free = event.capacity - _confirmed_seats(
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
        outcome = Outcome(
            registration=registration,
            created=False,
            position=waiting_position(registration),
            promoted=promoted,
        )
        for other in promoted:
            _notify(other, "promoted")
    return outcome


def cancel(registration, now=None):
    """Cancel the registration and serve the waiting list. Returns the
    registrations promoted (they have been e-mailed). Cancelling twice is a
    no-op that returns None."""
    now = now or timezone.now()
    with transaction.atomic():
        _locked_list(registration.event, registration.occurrence_start)
        registration.refresh_from_db()
        if registration.is_cancelled:
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
        _locked_list(event, occurrence_start)
        promoted = _serve_waiting_list(event, occurrence_start, now)
        for other in promoted:
            _notify(other, "promoted")
    return promoted


def close(event, occurrence_start, now=None):
    """Staff close registration to one occurrence. Returns False when it was
    already closed."""
    now = now or timezone.now()
    with transaction.atomic():
        registration_list = _locked_list(event, occurrence_start)
        if registration_list.is_closed:
            return False
        registration_list.closed_at = now
        registration_list.save(update_fields=["closed_at"])
    return True


def _notify(registration, kind, **extra):
    # Called inside the seat transaction: the mail is queued with the
    # decision (portal.mail), so it is sent if and only if the seat holds.
    # A mail that cannot even be built must not cost the registration. The
    # e-mails (events.emails) listen: rules never import what notifies.
    results = registration_notice.send_robust(
        sender=Registration, registration=registration, kind=kind, **extra
    )
    for _receiver, result in results:
        if isinstance(result, Exception):
            logger.error(
                "Could not send the %s e-mail of %s",
                kind,
                registration.pk,
                exc_info=(type(result), result, result.__traceback__),
            )


# -- The private cancel link -------------------------------------------------


def cancel_token(registration):
    return signing.TimestampSigner(salt=CANCEL_SALT).sign(registration.public_id.hex)


def manage_token(registration):
    """The « gérer mon inscription » link's token; it works until the
    registration is cancelled or the occurrence starts."""
    return signing.TimestampSigner(salt=MANAGE_SALT).sign(registration.public_id.hex)


def registration_for_token(token, salt=CANCEL_SALT):
    """The registration a cancel (or, with MANAGE_SALT, manage) link points
    at, or InvalidCancelLink with a French message and the status to
    answer."""
    signer = signing.TimestampSigner(salt=salt)
    link = _("Ce lien d'annulation") if salt == CANCEL_SALT else _("Ce lien")
    try:
        public_id = signer.unsign(token, max_age=CANCEL_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise InvalidCancelLink(
            _(
                "%(link)s a expiré. Pour modifier ou annuler votre inscription, "
                "contactez la médiathèque."
            )
            % {"link": link},
            410,
        ) from None
    except signing.BadSignature:
        raise InvalidCancelLink(
            _(
                "%(link)s n'est pas valide. Vérifiez qu'il est complet "
                "(copiez-le en entier depuis l'e-mail reçu)."
            )
            % {"link": link},
            400,
        ) from None
    registration = (
        Registration.objects.select_related("event").filter(public_id=public_id).first()
    )
    if registration is None:
        raise InvalidCancelLink(
            _(
                "Cette inscription n'existe plus : les données des inscriptions "
                "sont effacées après l'atelier."
            ),
            410,
        )
    return registration


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
    erased = sessions = 0
    for row in occurrences:
        sessions += 1
        if dry_run:
            erased += row["total"]
            continue
        with transaction.atomic():
            registration_list, _ = RegistrationList.objects.get_or_create(
                event_id=row["event_id"],
                occurrence_start=row["occurrence_start"],
            )
            registration_list = RegistrationList.objects.select_for_update().get(
                pk=registration_list.pk
            )
            registration_list.purged_at = now
            registration_list.purged_confirmed_seats += row["confirmed_seats"] or 0
            registration_list.purged_attended += row["attended"]
            registration_list.save()
            doomed = Registration.objects.filter(
                event_id=row["event_id"],
                occurrence_start=row["occurrence_start"],
            )
            pks = list(doomed.values_list("pk", flat=True))
            deleted, _ = doomed.delete()
            # The audit log keeps what happened, not who it was.
            for pk in pks:
                auditlog.scrub(Registration, [pk], erased_label(pk))
            erased += deleted
    return erased, sessions
