"""Fixtures for the registration tests: an event with seats under /agenda/,
and helpers to post the public form."""

import datetime
import re

import pytest
from django.utils import timezone

def paris(year, month, day, hour=9, minute=30):
    """An aware datetime in Europe/Paris (DST handled by zoneinfo)."""
    import zoneinfo

    return datetime.datetime(
        year, month, day, hour, minute, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")
    )


def make_event(home, *, slug="petit-dej", capacity=5, start=None, **fields):
    """A published EventPage under the agenda, weekly unless told otherwise."""
    from events.models import EventIndexPage, EventPage, EventType

    event_type, _ = EventType.objects.get_or_create(
        slug="petit-dej", defaults={"name": "Petit-déj du libre"}
    )
    agenda = EventIndexPage.objects.get()
    start = start or timezone.now().replace(microsecond=0) + datetime.timedelta(
        days=3
    )
    values = {
        "title": fields.pop("title", "Petit déj' du libre"),
        "slug": slug,
        "summary": "Venez avec vos questions sur les logiciels libres.",
        "event_type": event_type,
        "start": start,
        "end": start + datetime.timedelta(hours=2, minutes=30),
        "capacity": capacity,
        "max_seats_per_registration": 4,
        "recurrence": "weekly",
        "recurrence_count": 10,
    }
    values.update(fields)
    event = EventPage(**values)
    agenda.add_child(instance=event)
    event.save_revision().publish()
    event.refresh_from_db()
    return event


@pytest.fixture
def event(home_page):
    return make_event(home_page)


def form_url(event, occurrence=None):
    from urllib.parse import quote

    url = event.url + "inscription/"
    if occurrence is not None:
        url += "?date=" + quote(occurrence.key, safe="")
    return url


def post_registration(client, event, occurrence, **overrides):
    data = {
        "occurrence": occurrence.key,
        "name": "Camille Martin",
        "email": "camille@exemple.fr",
        "phone": "",
        "seats": "1",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return client.post(form_url(event, occurrence), data)


def cancel_link(message):
    """The cancel URL path found in an e-mail's text body."""
    match = re.search(r"https?://[^/\s]+(/agenda/inscription/annuler/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)
