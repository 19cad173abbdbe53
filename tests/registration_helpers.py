"""Helpers for the registration tests: an event with seats under /agenda/,
posting the public form and following the e-mails' links (the confirmation
link first, as a person does). The `event` fixture is in tests/conftest.py."""

import datetime
import zlib
from urllib.parse import quote

from django.core import mail
from django.utils import timezone

from tests.factories.events import create_event
from tests.pages import mail_link_path


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


def visitor_address(email):
    """A documentation IPv4 address per e-mail: different people register
    from their own connections (the per-network cap is tested by itself)."""
    return f"198.51.100.{zlib.crc32(email.strip().lower().encode()) % 254 + 1}"


def post_registration(
    client, event, occurrence, *, confirm=True, remote_addr=None, **overrides
):
    """Post the form, from `remote_addr` (by default an address of the
    person's own); with `confirm`, then follow the link of the confirmation
    mail really sent to that address and press its button, as a person
    does: the answer is then that page's (« Inscription confirmée » or
    « liste d'attente »). Without a confirmation mail (a refusal, an address
    already registered), the form's answer."""
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
    sent = len(mail.outbox)
    response = client.post(
        form_url(event, occurrence),
        data,
        REMOTE_ADDR=remote_addr or visitor_address(data["email"]),
    )
    if not confirm or response.status_code != 200:
        return response
    email = data["email"].strip().lower()
    asked = [
        message
        for message in mail.outbox[sent:]
        if message.to == [email] and "/inscription/confirmer/" in message.body
    ]
    if not asked:
        return response
    return confirm_through_mail(client, asked[-1])


def confirm_link(message):
    """The confirmation URL's path found in an e-mail's text body."""
    return mail_link_path(message, "/agenda/inscription/confirmer/")


def confirm_through_mail(client, message):
    """Open the mail's confirmation link (a GET changes nothing) and press
    « Confirmer mon inscription », with the Origin a browser sends."""
    link = confirm_link(message)
    page = client.get(link)
    assert page.status_code == 200, page.content[:500]
    assert "Confirmer mon inscription" in page.content.decode()
    return client.post(link, HTTP_ORIGIN="http://testserver")


def sent_to(email, marker=""):
    """The mails sent to `email` whose text contains `marker`, in order."""
    return [m for m in mail.outbox if m.to == [email] and marker in m.body]


def cancel_link(message):
    """The cancel URL's path found in an e-mail's text body."""
    return mail_link_path(message, "/agenda/inscription/annuler/")
