"""The reminder e-mail the day before each date, to confirmed registrations.

« The day before » is the Paris calendar day, whatever the daylight-saving
time. A registration is claimed by setting its `reminded_at` in one
conditional UPDATE before the mail leaves, so no run, even concurrent,
sends it twice; a failed send gives the claim back for the next run. A
cancelled date gets no reminder."""

import datetime

from django.utils import timezone

from events.agenda import recurrence
from events.models import Registration
from events.registrations import emails


def due(now=None):
    """``(registration, cancelled)`` for each confirmed registration to a
    date of tomorrow not reminded yet; ``cancelled`` when that date is."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    window_start, window_end = recurrence.day_bounds(tomorrow)
    registrations = (
        Registration.objects.confirmed()
        .filter(
            reminded_at__isnull=True,
            occurrence_start__gte=window_start,
            occurrence_start__lt=window_end,
        )
        .select_related("event")
        .order_by("occurrence_start", "pk")
    )
    occurrences = {}
    for registration in registrations:
        key = (registration.event_id, registration.occurrence_start)
        if key not in occurrences:
            occurrences[key] = registration.event.get_occurrence(
                registration.occurrence_start
            )
        occurrence = occurrences[key]
        yield registration, occurrence is None or occurrence.cancelled


def send(registration, now=None):
    """Claim then send one reminder: 1 if sent, 0 if another run had it.
    Raises what the mail raised, after giving the claim back."""
    claimed = Registration.objects.filter(
        pk=registration.pk,
        reminded_at__isnull=True,
        status=Registration.Status.CONFIRMED,
    ).update(reminded_at=now or timezone.now())
    if not claimed:
        return 0
    try:
        emails.send(registration, "reminder")
    except Exception:
        Registration.objects.filter(pk=registration.pk).update(reminded_at=None)
        raise
    return 1
