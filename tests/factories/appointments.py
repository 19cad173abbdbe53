"""Helpers for appointment tests: the booking form's URL and data. The
event « sur rendez-vous » itself comes from `events.factories`."""

from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from events.factories import appointment_event

__all__ = ["appointment_event", "book_url", "booking_data", "key"]


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
