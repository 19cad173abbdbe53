"""Helpers for the registration tests: an event with seats under /agenda/,
posting the public form and following the e-mails' links. The `event`
fixture is in tests/conftest.py."""

import datetime
import re
from urllib.parse import quote

from django.utils import timezone

from tests.factories.events import create_event


def make_event(home, *, capacity=5, start=None, **fields):
    """A published, weekly EventPage with seats under the agenda."""
    from events.models import EventIndexPage

    start = start or (
        timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    )
    fields.setdefault("recurrence", "weekly")
    fields.setdefault("recurrence_count", 10)
    fields.setdefault("max_seats_per_registration", 4)
    page = create_event(
        EventIndexPage.objects.get(), start=start, capacity=capacity, **fields
    )
    page.refresh_from_db()
    return page


def form_url(event, occurrence=None):
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
    """The cancel URL's path found in an e-mail's text body."""
    match = re.search(
        r"https?://[^/\s]+(/agenda/inscription/annuler/[^\s]+/)", message.body
    )
    assert match, message.body
    return match.group(1)
