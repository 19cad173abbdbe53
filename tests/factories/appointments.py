"""Factories for appointments: an event « sur rendez-vous » and the data of
the public booking form."""

import datetime
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from events.models import EventIndexPage

from .events import EventTypeFactory, create_event, paris


def appointment_event(
    home,
    *,
    start=None,
    duration=datetime.timedelta(hours=2),
    places=2,
    minutes=30,
    **fields,
):
    """A published weekly « assistance informatique » « sur rendez-vous »
    (Tuesday 1 December 2026, 14:00–16:00 Paris time by default)."""
    fields.setdefault("recurrence", "weekly")
    fields.setdefault("recurrence_count", 10)
    fields.setdefault(
        "event_type",
        EventTypeFactory(
            slug="assistance-informatique", name="Assistance informatique"
        ),
    )
    page = create_event(
        EventIndexPage.objects.get(),
        title=fields.pop("title", "Assistance informatique"),
        start=start or paris(2026, 12, 1, 14, 0),
        duration=duration,
        appointments_enabled=True,
        appointment_places=places,
        appointment_slot_minutes=minutes,
        **fields,
    )
    page.refresh_from_db()
    return page


def book_url(event, slot_key=None):
    url = reverse("events:appointment_book", kwargs={"slug": event.slug})
    if slot_key:
        url += "?creneau=" + quote(slot_key, safe="")
    return url


def key(moment):
    """The form's value for the slot starting at this aware datetime."""
    return timezone.localtime(moment).isoformat()


def booking_data(slot_key, **overrides):
    data = {
        "slot": slot_key,
        "device": "ordinateur",
        "system": "Windows 10",
        "need": "messagerie",
        "need_details": "",
        "name": "Camille Martin",
        "email": "camille@exemple.fr",
        "phone": "",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data
