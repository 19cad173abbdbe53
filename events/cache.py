"""The agenda's events are read from the database once, with everything a
listing, a feed or an event page shows, and kept in the cache until an
event, a venue, an event type, a partner or a facilitator changes (targeted
invalidation through signals, plus a short lifetime as a safety net).

Occurrences are still computed at request time from these events, so what
« upcoming » means never goes stale.
"""

import uuid

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

CACHE_TIMEOUT = 10 * 60
VERSION_KEY = "events:agenda:version"


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, None)
    return version


def invalidate(**kwargs):
    """Forget every cached agenda entry (signal receiver)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def related_events(queryset):
    """Events with every relation their pages and feeds read, in a fixed
    number of queries whatever their number."""
    return queryset.select_related("event_type", "venue", "image").prefetch_related(
        "cancellations", "extra_dates", "partners", "facilitators", "tags"
    )


def _build_agenda():
    from events.models import EventIndexPage, EventPage, EventType
    from home.models import Partner

    index = EventIndexPage.objects.live().public().first()
    events = []
    if index is not None:
        events = list(related_events(EventPage.objects.live().public().child_of(index)))
    return {
        "index": index,
        "events": events,
        "event_types": list(EventType.objects.all()),
        "partners": list(Partner.objects.all()),
    }


def agenda():
    """A dict: ``index`` (the agenda page or None), ``events`` (live, public
    EventPages with their relations), ``event_types`` and ``partners``."""
    key = f"events:agenda:{_version()}"
    data = cache.get(key)
    if data is None:
        data = _build_agenda()
        cache.set(key, data, CACHE_TIMEOUT)
    return data


def event_by_slug(index, slug):
    """One live, public event of the agenda with its relations, or None."""
    from events.models import EventPage

    key = f"events:event:{_version()}:{index.pk}:{slug}"
    event = cache.get(key)
    if event is None:
        event = (
            related_events(EventPage.objects.live().public().child_of(index))
            .filter(slug=slug)
            .first()
        )
        if event is None:
            return None
        cache.set(key, event, CACHE_TIMEOUT)
    return event


def connect_signals():
    from events.models import (
        EventCancellation,
        EventExtraDate,
        EventIndexPage,
        EventPage,
        EventType,
        Venue,
    )
    from home.models import Partner
    from volunteers.models import Volunteer

    for model in (EventIndexPage, EventPage):
        page_published.connect(
            invalidate, sender=model, dispatch_uid=f"agenda-pub-{model.__name__}"
        )
        page_unpublished.connect(
            invalidate, sender=model, dispatch_uid=f"agenda-unpub-{model.__name__}"
        )
    for model in (
        EventIndexPage,
        EventPage,
        EventCancellation,
        EventExtraDate,
        EventType,
        Venue,
        Partner,
        Volunteer,
    ):
        post_save.connect(
            invalidate, sender=model, dispatch_uid=f"agenda-save-{model.__name__}"
        )
        post_delete.connect(
            invalidate, sender=model, dispatch_uid=f"agenda-del-{model.__name__}"
        )
    from wagtail.models import PageViewRestriction

    post_page_move.connect(invalidate, dispatch_uid="agenda-move")

    post_save.connect(
        invalidate, sender=PageViewRestriction, dispatch_uid="agenda-save-pvr"
    )
    post_delete.connect(
        invalidate, sender=PageViewRestriction, dispatch_uid="agenda-del-pvr"
    )
