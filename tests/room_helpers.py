"""Helpers for the room-request tests: the fields of « Demander la salle »
as its form posts them, and posting them as a logged-in user (the room tests,
the mail-link tests and the permission matrix share them)."""

from django.conf import settings
from django.urls import reverse

# The admin's date-and-time fields, as Wagtail's widget types them.
FMT = settings.WAGTAIL_DATETIME_FORMAT
# The admin's forms check the Origin header of a POST.
ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def room_request_data(room, start, end, **fields):
    """The « Demander la salle » form's fields for one date from `start`
    to `end` (aware datetimes, or strings as typed), no repetition, a
    quarter of an hour to set up and to tidy up; `fields` override."""
    return {
        "room": str(room.pk),
        "purpose": "Petit déj' du libre « spécial Noël »",
        "details": "Café, croissants et questions sur l'œuvre libre.",
        "start": start if isinstance(start, str) else start.strftime(FMT),
        "end": end if isinstance(end, str) else end.strftime(FMT),
        "recurrence": "",
        "recurrence_until": "",
        "recurrence_count": "",
        "recurrence_rule": "",
        "setup_minutes": "15",
        "tidy_minutes": "15",
        "expected_attendance": "12",
        **fields,
    }


def post_room_request(client, user, data, **extra):
    """`user` posts the form (logged in first when given); `extra` goes to
    the test client (``follow=True``…)."""
    if user is not None:
        client.force_login(user)
    return client.post(reverse("room_bookings:add"), data, **ORIGIN, **extra)
