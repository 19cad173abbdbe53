"""Stored occurrences of the agenda's events.

The rule: a live event has one ``Occurrence`` row per date — past dates kept,
recurring events expanded by ``events.agenda.recurrence`` up to a horizon of 18
months ahead — and a draft, unpublished or deleted event has none. The rows
are rebuilt in the transaction that changes the event (publish, unpublish,
move, delete, save of its dates, recurrence, cancelled or extra dates), by
difference, so an unchanged date keeps its row; a daily command
(``extend_occurrences``) moves the horizon on. After a rebuild that changed
something, ``events.signals.occurrences_changed`` tells who cares.
"""

import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from events.agenda import ical, recurrence
from events.models import (
    EventCalendarEntry,
    EventCancellation,
    EventExtraDate,
    EventPage,
    EventType,
    Occurrence,
    Venue,
)
from events.models.occurrences import VIEW_RESTRICTIONS_KEY
from events.signals import occurrences_changed

HORIZON = datetime.timedelta(days=548)  # 18 months

# Fields of EventPage that decide its dates: a save touching none of them
# (e.g. saving a draft revision) needs no rebuild.
DATE_FIELDS = {
    "live",
    "start",
    "end",
    "recurrence",
    "recurrence_rule",
    "recurrence_until",
    "recurrence_count",
}


def horizon(now=None):
    return (now or timezone.now()) + HORIZON


def expected(event, now=None, live=None):
    """The rows ``event`` should have, as {start: (end, cancelled, reason,
    is_extra)}."""
    if not (event.live if live is None else live):
        return {}
    return {
        occ.start: (occ.end, occ.cancelled, occ.cancel_reason, occ.is_extra)
        for occ in recurrence.expand_until(event, horizon(now))
    }


def rebuild(event, now=None, live=None):
    """Bring ``event``'s stored rows in line with the event, in the current
    transaction, and send ``occurrences_changed`` when something changed.
    ``event`` may hold unsaved cancelled/extra dates in memory (a page being
    saved by Wagtail): they are what counts. Returns the change as a dict
    (added, removed, cancelled, restored), empty lists when nothing
    changed. ``live=False`` empties the rows whatever the instance says
    (Wagtail unpublishes a page being deleted without saving it)."""
    wanted = expected(event, now, live)
    with transaction.atomic():
        stored = {
            row.start: row
            for row in Occurrence.objects.filter(event_id=event.pk).only(
                "pk", "start", "end", "is_cancelled", "cancellation_reason", "is_extra"
            )
        }
        removed = [start for start in stored if start not in wanted]
        added = [start for start in wanted if start not in stored]
        cancelled, restored, changed_rows = [], [], []
        for start, row in stored.items():
            if start not in wanted:
                continue
            end, is_cancelled, reason, is_extra = wanted[start]
            if is_cancelled and not row.is_cancelled:
                cancelled.append(start)
            elif row.is_cancelled and not is_cancelled:
                restored.append(start)
            if (row.end, row.is_cancelled, row.cancellation_reason, row.is_extra) != (
                end,
                is_cancelled,
                reason,
                is_extra,
            ):
                row.end, row.is_cancelled = end, is_cancelled
                row.cancellation_reason, row.is_extra = reason, is_extra
                changed_rows.append(row)
        if removed:
            Occurrence.objects.filter(event_id=event.pk, start__in=removed).delete()
        if changed_rows:
            Occurrence.objects.bulk_update(
                changed_rows, ["end", "is_cancelled", "cancellation_reason", "is_extra"]
            )
        if added:
            Occurrence.objects.bulk_create(
                [
                    Occurrence(
                        event_id=event.pk,
                        start=start,
                        end=wanted[start][0],
                        is_cancelled=wanted[start][1],
                        cancellation_reason=wanted[start][2],
                        is_extra=wanted[start][3],
                    )
                    for start in added
                ]
            )
        if wanted:
            # The span of the rows just written, without reading them back.
            span = {
                "first_start": min(wanted),
                "last_end": max(end for end, *_rest in wanted.values()),
            }
            write_calendar_entry(event, span=span)
        else:
            write_calendar_entry(event, live=False)
        change = {
            "added": sorted(added),
            "removed": sorted(removed),
            "cancelled": sorted(cancelled),
            "restored": sorted(restored),
        }
        if any(change.values()):
            occurrences_changed.send(sender=EventPage, event=event, **change)
    return change


def write_calendar_entry(event, live=True, span=None):
    """Store ``event``'s VEVENTs (agenda.ics) with the span of its stored
    dates (``span``, read from them when not given), or drop them when it is
    not live."""
    if not live:
        EventCalendarEntry.objects.filter(event_id=event.pk).delete()
        return
    try:
        text = ical.vevents_text(event)
    except ValidationError:
        text = ""  # a rule that cannot be read has no calendar entry
    if span is None:
        span = Occurrence.objects.filter(event_id=event.pk).aggregate(
            first_start=Min("start"), last_end=Max("end")
        )
    EventCalendarEntry.objects.update_or_create(
        event_id=event.pk, defaults={"vevents": text, **span}
    )


def write_missing_calendar_entries():
    """Live events with stored dates but no calendar entry (stored before
    entries existed) get one. Run after every ``migrate``; one query when
    nothing is missing. Returns how many were written."""
    events = (
        EventPage.objects.live()
        .filter(calendar_entry__isnull=True, stored_occurrences__isnull=False)
        .distinct()
        .prefetch_related("cancellations", "extra_dates")
    )
    count = 0
    for event in events.iterator(chunk_size=200):
        write_calendar_entry(event)
        count += 1
    return count


def extend_horizon(now=None):
    """Daily: add the dates that came within the horizon to live recurring
    events whose rule may still produce some. Returns how many events got
    new dates."""
    now = now or timezone.now()
    events = (
        EventPage.objects.live()
        .exclude(recurrence_rule="")
        .prefetch_related("cancellations", "extra_dates")
    )
    extended = 0
    for event in events.iterator(chunk_size=200):
        if event.recurrence_until and event.recurrence_until < now.date():
            continue
        if rebuild(event, now)["added"]:
            extended += 1
    return extended


def rebuild_all(now=None):
    """Rebuild every event (first fill, repairs). Returns the event count."""
    count = 0
    events = EventPage.objects.prefetch_related("cancellations", "extra_dates")
    for event in events.iterator(chunk_size=200):
        rebuild(event, now)
        count += 1
    return count


# --- signal receivers (connected in EventsConfig.ready) -------------------


def _on_shown_snippet_saved(sender, instance, **kwargs):
    # A venue or an event type is part of its events' calendar text.
    events = EventPage.objects.live().filter(**{sender.events.field.name: instance})
    for event in events.prefetch_related("cancellations", "extra_dates"):
        write_calendar_entry(event)


def _on_event_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not DATE_FIELDS & set(update_fields)):
        return
    rebuild(instance)


def _on_page_signal(sender, instance, **kwargs):
    # post_page_move sends a plain Page.
    rebuild(instance.specific)


def _on_unpublished(sender, instance, **kwargs):
    rebuild(instance, live=False)


# Events being deleted: their cancelled and extra dates go first (CASCADE)
# and must not bring the rows back.
_deleting = set()


def _on_event_deleted(sender, instance, **kwargs):
    # Before the rows go with the event (CASCADE), say which dates vanish.
    _deleting.add(instance.pk)
    starts = list(
        Occurrence.objects.filter(event_id=instance.pk).values_list("start", flat=True)
    )
    Occurrence.objects.filter(event_id=instance.pk).delete()
    if starts:
        occurrences_changed.send(
            sender=EventPage,
            event=instance,
            added=[],
            removed=sorted(starts),
            cancelled=[],
            restored=[],
        )


def _on_date_changed(sender, instance, raw=False, **kwargs):
    """A cancelled or extra date saved or deleted. While Wagtail saves a
    page, ``instance.page`` is that page with its new dates in memory, so
    each of these rebuilds computes the final state (no flicker)."""
    if raw or instance.page_id in _deleting:
        return
    try:
        event = instance.page
    except EventPage.DoesNotExist:
        return  # the event itself is being deleted
    rebuild(event)


def _on_event_gone(sender, instance, **kwargs):
    _deleting.discard(instance.pk)


def _on_view_restriction_changed(sender, **kwargs):
    cache.delete(VIEW_RESTRICTIONS_KEY)


def connect_signals():
    for signal, name in ((post_save, "save"), (post_delete, "del")):
        signal.connect(
            _on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"occ-restriction-{name}",
        )
    for model in (Venue, EventType):
        post_save.connect(
            _on_shown_snippet_saved, sender=model, dispatch_uid=f"occ-ics-{model}"
        )
    post_delete.connect(_on_event_gone, sender=EventPage, dispatch_uid="occ-gone")
    post_save.connect(_on_event_saved, sender=EventPage, dispatch_uid="occ-save")
    pre_delete.connect(_on_event_deleted, sender=EventPage, dispatch_uid="occ-del")
    page_unpublished.connect(_on_unpublished, sender=EventPage, dispatch_uid="occ-un")
    for signal, name in ((page_published, "pub"), (post_page_move, "move")):
        signal.connect(_on_page_signal, sender=EventPage, dispatch_uid=f"occ-{name}")
    for model in (EventCancellation, EventExtraDate):
        for signal, name in ((post_save, "save"), (post_delete, "del")):
            signal.connect(
                _on_date_changed,
                sender=model,
                dispatch_uid=f"occ-{name}-{model.__name__}",
            )
