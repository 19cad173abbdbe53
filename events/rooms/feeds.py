"""The private iCalendar feed of a room's bookings, for médiathèque staff's
calendar apps (which cannot log in): the URL carries the room's secret
token, is never linked from a public page, and answers 404 to any other
token. Pending and confirmed bookings, from two months back to a year
ahead, each date with its setup and tidy-up time."""

import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone
from icalendar import Calendar, Event

from events.agenda import ical, recurrence
from events.models import Booking, BookingDate, Room

PAST = datetime.timedelta(days=62)
AHEAD = datetime.timedelta(days=400)
MAX_DATES = 3000


def bookings_ics(request, token):
    room = get_object_or_404(Room.objects.select_related("venue"), feed_token=token)
    now = timezone.now()
    rows = (
        BookingDate.objects.filter(
            room=room,
            blocked_end__gt=now - PAST,
            blocked_start__lt=now + AHEAD,
            booking__status__in=[Booking.Status.PENDING, Booking.Status.CONFIRMED],
        )
        .select_related("booking", "booking__requested_by")
        .order_by("blocked_start")[:MAX_DATES]
    )
    cal = Calendar()
    cal.add("prodid", ical.PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Réservations – {room.name}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = now.astimezone(datetime.UTC)
    for row in rows:
        booking = row.booking
        vevent = Event()
        local = recurrence.to_local_naive(row.start).strftime("%Y%m%dT%H%M")
        vevent.add("uid", f"reservation-{booking.pk}-{local}@{ical._host()}")
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", timezone.localtime(row.blocked_start))
        vevent.add("dtend", timezone.localtime(row.blocked_end))
        pending = booking.status == Booking.Status.PENDING
        prefix = "[En attente] " if pending else ""
        vevent.add("summary", f"{prefix}{booking.purpose}")
        vevent.add("status", "TENTATIVE" if pending else "CONFIRMED")
        vevent.add("location", f"{room.name}, {room.venue.name}")
        vevent.add(
            "description",
            f"{booking.expected_attendance} participants attendus ; "
            f"installation {booking.setup_minutes} min, "
            f"rangement {booking.tidy_minutes} min.",
        )
        cal.add_component(vevent)
    cal.add_missing_timezones()
    response = ical.calendar_response(cal.to_ical(), "reservations.ics")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
