"""The public pages that show an event's seats and slots left: its own page,
its forms and poster (all under one scope, « /agenda/atelier-x »), and the
listings (home page, agenda and its days, month grid, programme). The
feeds (RSS, iCalendar, JSON) and the widget show dates, never seats: a
registration leaves them served from the cache (calendar applications poll
them all day long). Saving or deleting a registration, a date's registration list, an
appointment or an appointment session purges those pages only
(`portal.pagecache.purge_paths`), not the whole site: a guide or a badge
page stays served from the cache while visitors register."""

from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from wagtail.models import Page

from events.models import (
    Appointment,
    AppointmentSession,
    Registration,
    RegistrationList,
)
from portal import pagecache

# Listings served by the agenda's own routes (any arguments: a scope is the
# first two segments of a path).
LISTING_ROUTES = (
    ("events:month", (2000, 1)),
    ("events:programme:month", (2000, 1)),
)


def event_paths(event_id):
    """The paths whose scopes show this event's seats, or None when the event
    is gone (its deletion purged everything already)."""
    page = Page.objects.filter(pk=event_id).only("url_path", "slug").first()
    if page is None:
        return None
    paths = ["/", *(reverse(name, args=args) for name, args in LISTING_ROUTES)]
    # Its own routes (forms, poster, calendar file) live under the agenda's
    # URLs, whatever the page's place in the tree.
    paths.append(reverse("events:registration", args=[page.slug]))
    parts = page.get_url_parts()
    if parts is not None:
        page_path = parts[2]
        paths.append(page_path)
        paths.append(page_path.rstrip("/").rpartition("/")[0] + "/")  # the agenda
    return paths


def _event_id(instance):
    if isinstance(instance, Appointment):
        return instance.session.event_id
    return instance.event_id


def _purge_event_pages(sender, instance, **kwargs):
    paths = event_paths(_event_id(instance))
    if paths is None:
        pagecache.purge_now_and_after_commit()
    else:
        pagecache.purge_paths_now_and_after_commit(paths)


def connect_signals():
    """Called once from `EventsConfig.ready()`."""
    for model in (Registration, RegistrationList, Appointment, AppointmentSession):
        uid = f"pagecache-{model._meta.model_name}"
        post_save.connect(_purge_event_pages, sender=model, dispatch_uid=uid)
        post_delete.connect(
            _purge_event_pages, sender=model, dispatch_uid=f"{uid}-delete"
        )
