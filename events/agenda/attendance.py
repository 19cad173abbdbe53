"""Anonymous attendance counts per date (`OccurrenceTally`).

The rule: every time a registration is saved, its date's counts are
recounted from the registrations (confirmed registrations and seats, people
marked present, the waiting list's highest length so far); deleting a
registration (erasure on request, the retention purge) never lowers them, so
the counts of a date stay what they were once its people are erased.
"""

from django.db.models import Count, Q, Sum
from django.db.models.signals import post_save

from events.models import OccurrenceTally, Registration

CONFIRMED = Q(status=Registration.Status.CONFIRMED)


def recount(event_id, occurrence_start, *, attendance_taken=False):
    """Write the date's counts from its registrations (three queries)."""
    counts = Registration.objects.filter(
        event_id=event_id, occurrence_start=occurrence_start
    ).aggregate(
        confirmed=Count("pk", filter=CONFIRMED),
        seats=Sum("seats", filter=CONFIRMED),
        present=Count("pk", filter=CONFIRMED & Q(attended=True)),
        # The waiting list proper: requests whose address has confirmed
        # (as events.registrations.rules.occurrence_counts counts it).
        waiting=Count(
            "pk",
            filter=Q(status=Registration.Status.WAITING, hold_expires_at__isnull=True),
        ),
    )
    tally, _created = OccurrenceTally.objects.get_or_create(
        event_id=event_id, occurrence_start=occurrence_start
    )
    tally.confirmed_registrations = counts["confirmed"]
    tally.confirmed_seats = counts["seats"] or 0
    tally.present = counts["present"]
    tally.attendance_taken = (
        tally.attendance_taken or attendance_taken or counts["present"] > 0
    )
    tally.waiting_peak = max(tally.waiting_peak or 0, counts["waiting"])
    tally.save()
    return tally


def _on_registration_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        recount(instance.event_id, instance.occurrence_start)


def connect_signals():
    post_save.connect(
        _on_registration_saved,
        sender=Registration,
        dispatch_uid="events-attendance-recount",
    )
