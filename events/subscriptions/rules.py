"""The agenda by e-mail: who receives which digest, and when.

The rule: nothing is sent to an address before its owner follows the link
of the confirmation mail and clicks « Confirmer » (a POST: mail scanners that
open links confirm nothing). Asking again always sends a new confirmation
and answers the same way, whether or not the address was already
subscribed. Unconfirmed requests are deleted after `PENDING_DAYS` days.
A confirmed subscription receives one digest per period (ISO week or
calendar month, Paris time) with the coming dates of that period matching
its choices; the delivery is recorded under a unique constraint in the same
transaction as the mail is queued, so no period is ever sent twice to the
same person. Unsubscribing erases the subscription.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.agenda import recurrence
from events.models import AgendaSubscription, DigestDelivery, Occurrence
from events.subscriptions import emails as subscription_emails
from portal.errors import Refused
from portal.signed_links import SignedLink

PENDING_DAYS = 7
UNSUBSCRIBE_SALT = "events.subscriptions.unsubscribe"
# A digest lists at most this many dates (a month of the agenda fits).
DIGEST_MAX_OCCURRENCES = 60


class InvalidLink(Refused):
    """A confirmation or unsubscribe link that cannot be used; ``message``
    says in French what to do, ``status`` is the HTTP status of the page."""

    status = 404


def _hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def normalise_email(email):
    return email.strip().lower()


# -- Subscribing (double opt-in) ---------------------------------------------


def request_subscription(email, frequency, partners=(), event_types=()):
    """Record an unconfirmed request and send its confirmation mail. Returns
    nothing a caller could use to tell a new address from a known one."""
    with transaction.atomic():
        key = secrets.token_urlsafe(32)
        subscription = AgendaSubscription.objects.create(
            email=normalise_email(email),
            frequency=frequency,
            confirm_key_hash=_hash(key),
        )
        subscription.partners.set(partners)
        subscription.event_types.set(event_types)
        subscription_emails.confirmation(subscription, key).send()


def _unusable_link():
    return InvalidLink(
        _(
            "Ce lien de confirmation n'est pas (ou plus) valable : il a peut-être "
            "déjà servi, ou il a été mal copié. Si vous avez déjà confirmé, vous "
            "n'avez rien à faire : l'agenda vous sera envoyé. Sinon, inscrivez-vous "
            "à nouveau : un nouveau lien vous sera envoyé par e-mail."
        ),
        404,
    )


def pending_for(key, now=None):
    """The unconfirmed subscription a confirmation key opens, or raise
    InvalidLink (unknown, already used or expired)."""
    now = now or timezone.now()
    if not key or len(key) > 100:
        raise _unusable_link()
    subscription = (
        AgendaSubscription.objects.pending().filter(confirm_key_hash=_hash(key)).first()
    )
    if subscription is None:
        raise _unusable_link()
    if subscription.created_at < now - datetime.timedelta(days=PENDING_DAYS):
        raise InvalidLink(
            _(
                "Ce lien de confirmation a expiré (il est valable %(days)s jours). "
                "Inscrivez-vous à nouveau : un nouveau lien vous sera envoyé."
            )
            % {"days": PENDING_DAYS},
            410,
        )
    return subscription


def confirm(key, now=None):
    """Confirm the request ``key`` opens. An address already subscribed
    keeps one subscription, which takes the new choices. Returns the
    confirmed subscription; raises InvalidLink."""
    now = now or timezone.now()
    with transaction.atomic():
        pending = pending_for(key, now)
        # Every row of the address is locked, so two confirmations of the
        # same address are served one after the other.
        rows = list(
            AgendaSubscription.objects.select_for_update()
            .filter(email=pending.email)
            .order_by("pk")
        )
        pending = next((r for r in rows if r.pk == pending.pk), None)
        if pending is None or pending.is_confirmed:
            raise _unusable_link()
        current = next((r for r in rows if r.is_confirmed), None)
        if current is None:
            pending.confirmed_at = now
            pending.confirm_key_hash = None
            pending.save(update_fields=["confirmed_at", "confirm_key_hash"])
            current = pending
        else:
            current.frequency = pending.frequency
            current.save(update_fields=["frequency"])
            current.partners.set(pending.partners.all())
            current.event_types.set(pending.event_types.all())
        AgendaSubscription.objects.filter(
            email=current.email, confirmed_at__isnull=True
        ).delete()
    return current


class UnsubscribeLink(SignedLink):
    """A digest's unsubscribe link: the subscription's primary key, signed
    as `signing.dumps(pk, compress=True)` wrote it; valid for ever (the
    last digest received must always let its reader leave)."""

    salt = UNSUBSCRIBE_SALT
    signs_object = True
    compress = True
    error = InvalidLink
    invalid_status = 404

    def value(self, subscription):
        return subscription.pk

    def find(self, pk):
        if not isinstance(pk, int):
            return None
        return AgendaSubscription.objects.filter(pk=pk).first()

    def invalid_message(self):
        return _(
            "Ce lien de désabonnement n'est pas valable : il a peut-être été mal "
            "copié. Utilisez le lien du dernier e-mail reçu, ou écrivez à la "
            "médiathèque pour être désabonné."
        )


unsubscribe_link = UnsubscribeLink()


def unsubscribe_token(subscription):
    """The token of `subscription`'s unsubscribe link."""
    return unsubscribe_link.make_token(subscription)


def subscription_for_unsubscribe(token):
    """The subscription a signed unsubscribe token names, None when it is
    already gone; raises InvalidLink for a token that is not ours."""
    return unsubscribe_link.object_for(token)


def unsubscribe(token):
    """Erase the subscription a signed unsubscribe token names. Returns True
    when it was there, False when it was already gone; raises InvalidLink."""
    subscription = subscription_for_unsubscribe(token)
    if subscription is None:
        return False
    subscription.delete()
    return True


def purge_unconfirmed(now=None):
    """Delete requests left unconfirmed for `PENDING_DAYS` days; returns
    how many."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=PENDING_DAYS)
    _total, detail = (
        AgendaSubscription.objects.pending().filter(created_at__lt=limit).delete()
    )
    return _count(detail)


def _count(detail):
    return detail.get(AgendaSubscription._meta.label, 0)


def erase(email):
    """Erase every subscription of an address (on request); returns how many."""
    _total, detail = AgendaSubscription.objects.filter(
        email=normalise_email(email)
    ).delete()
    return _count(detail)


# -- Digests -------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The period a digest covers: ``label`` (« 2026-W49 », « 2026-12 »)
    and its bounds in Paris time, [start, end)."""

    frequency: str
    label: str
    start: datetime.datetime
    end: datetime.datetime

    @property
    def last_day(self):
        return timezone.localtime(self.end).date() - datetime.timedelta(days=1)

    @property
    def first_day(self):
        return timezone.localtime(self.start).date()

    @property
    def is_weekly(self):
        return self.frequency == AgendaSubscription.Frequency.WEEKLY


def period_of(frequency, now=None):
    """The period that contains ``now`` for this frequency."""
    today = timezone.localdate(now or timezone.now())
    if frequency == AgendaSubscription.Frequency.WEEKLY:
        monday = today - datetime.timedelta(days=today.weekday())
        year, week, _day = monday.isocalendar()
        return Period(
            frequency, f"{year}-W{week:02d}", *recurrence.day_bounds(monday, days=7)
        )
    return Period(
        frequency, f"{today:%Y-%m}", *recurrence.month_bounds(today.year, today.month)
    )


def coming_occurrences(start, end):
    """Every public date starting in [start, end), in date order (stored
    occurrences: bounded by the period, not by the history)."""
    return list(
        Occurrence.objects.public()
        .filter(start__gte=start, start__lt=end)
        .order_by("start", "pk")
        .with_events()
    )


def chosen(subscription, occurrences):
    """The occurrences matching the subscription's partners and types (none
    chosen means all)."""
    partner_ids = {p.pk for p in subscription.partners.all()}
    type_ids = {t.pk for t in subscription.event_types.all()}
    return [
        occ
        for occ in occurrences
        if (not type_ids or occ.event.event_type_id in type_ids)
        and (
            not partner_ids
            or any(p.pk in partner_ids for p in occ.event.partners.all())
        )
    ][:DIGEST_MAX_OCCURRENCES]


@dataclass
class DigestReport:
    sent: int = 0
    empty: int = 0
    already: int = 0
    failed: int = 0
    purged: int = 0


def send_due_digests(now=None, dry_run=False, log=None):
    """Send every digest due at ``now``: one per confirmed subscription whose
    current period has not been sent yet and that has dates coming in it.
    Returns a DigestReport."""
    now = now or timezone.now()
    report = DigestReport()
    if not dry_run:
        report.purged = purge_unconfirmed(now)
    for frequency in AgendaSubscription.Frequency.values:
        period = period_of(frequency, now)
        due = (
            AgendaSubscription.objects.confirmed()
            .filter(frequency=frequency)
            .exclude(deliveries__period=period.label)
            .prefetch_related("partners", "event_types")
            .order_by("pk")
        )
        occurrences = None
        for subscription in due:
            if occurrences is None:
                occurrences = coming_occurrences(now, period.end)
            dates = chosen(subscription, occurrences)
            if not dates:
                report.empty += 1
                continue
            if dry_run:
                if log:
                    log(f"{subscription.email} – {period.label} : {len(dates)} date(s)")
                report.sent += 1
                continue
            try:
                with transaction.atomic():
                    DigestDelivery.objects.create(
                        subscription=subscription,
                        period=period.label,
                        occurrence_count=len(dates),
                    )
                    subscription_emails.digest(
                        subscription, period, dates, unsubscribe_token(subscription)
                    ).send()
            except IntegrityError:
                # Another run sent this period meanwhile.
                report.already += 1
            except Exception as error:  # noqa: BLE001 - the next run tries again
                report.failed += 1
                if log:
                    log(f"Échec de l'envoi à l'abonnement {subscription.pk} : {error}")
            else:
                report.sent += 1
    return report
