"""Factories for the agenda: venues, event types and event pages."""

import datetime
import itertools
import zoneinfo

from factory.django import DjangoModelFactory

from events.models import EventCancellation, EventExtraDate, EventPage, EventType, Venue

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
_numbers = itertools.count(1)


def paris(year, month, day, hour=9, minute=30):
    """An aware datetime at this wall-clock time in Europe/Paris."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


class VenueFactory(DjangoModelFactory):
    class Meta:
        model = Venue
        django_get_or_create = ("name",)

    name = "Médiathèque de Wimille"
    address = "Espace Pilâtre de Rozier, 3 rue de Ledinghen"
    postal_code = "62126"
    city = "Wimille"
    step_free_access = True
    hearing_loop = True
    transport_notes = "Arrêt « Wimille Mairie »."


class EventTypeFactory(DjangoModelFactory):
    class Meta:
        model = EventType
        django_get_or_create = ("slug",)

    slug = "petit-dej-du-libre"
    name = "Petit-déj du libre"


def create_event(
    parent,
    *,
    title="Petit déj' du libre",
    slug=None,
    start=None,
    duration=datetime.timedelta(hours=2, minutes=30),
    partners=(),
    tags=(),
    facilitators=(),
    cancellations=(),
    extra_dates=(),
    publish=True,
    **fields,
):
    """A live EventPage under ``parent`` (the agenda). ``cancellations`` are
    (date, reason) pairs, ``extra_dates`` aware starts. Without ``publish``
    the page is live but has no revision (fast, for bulk data)."""
    start = start or paris(2026, 12, 5)
    fields.setdefault("summary", "Venez avec vos questions sur le logiciel libre.")
    fields.setdefault("end", start + duration)
    if "event_type" not in fields:
        fields["event_type"] = EventTypeFactory()
    if "venue" not in fields:
        fields["venue"] = VenueFactory()
    slug = slug or f"evenement-{next(_numbers)}"
    page = EventPage(title=title, slug=slug, start=start, **fields)
    page.partners = list(partners)
    page.facilitators = list(facilitators)
    page.cancellations = [
        EventCancellation(date=day, reason=reason) for day, reason in cancellations
    ]
    page.extra_dates = [EventExtraDate(start=extra) for extra in extra_dates]
    if tags:
        page.tags.add(*tags)
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page
