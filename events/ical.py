"""iCalendar (RFC 5545) documents of the agenda, built with ``icalendar``.

Each event is one VEVENT with a stable UID; a recurring event carries its
RRULE, its cancelled dates as EXDATE and its extra dates as RDATE, with
times in Europe/Paris (VTIMEZONE included) so that calendar apps keep local
wall-clock time across daylight-saving changes.
"""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, vRecur

from events import recurrence

PRODID = "-//Atelier numérique citoyen de Wimille//Agenda//FR"


def _host():
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "http://localhost"
    return base.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


def event_uid(event, suffix=""):
    return f"evenement-{event.pk}{suffix}@{_host()}"


def _absolute(event, request=None):
    url = event.get_full_url(request)
    return url or event.url


def _new_calendar(name):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _local(value):
    return timezone.localtime(value, recurrence.local_tz())


def _base_vevent(event, request, uid):
    vevent = Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    vevent.add(
        "last-modified",
        (event.last_published_at or timezone.now()).astimezone(datetime.UTC),
    )
    vevent.add("summary", event.title)
    if event.summary:
        vevent.add("description", f"{event.summary}\n\n{_absolute(event, request)}")
    vevent.add("url", _absolute(event, request))
    if event.venue_id and event.venue:
        vevent.add("location", f"{event.venue.name}, {event.venue.full_address}")
    elif event.online_url:
        vevent.add("location", event.online_url)
    if event.event_type_id and event.event_type:
        vevent.add("categories", [event.event_type.name])
    return vevent


def add_event(cal, event, request=None):
    """Add ``event`` (with its recurrence) to ``cal``."""
    vevent = _base_vevent(event, request, event_uid(event))
    vevent.add("dtstart", _local(event.start))
    vevent.add("dtend", _local(event.end))
    cancellations = list(event.cancellations.all())
    extras = list(event.extra_dates.all())
    duration = event.end - event.start
    if event.recurrence_rule:
        parts = recurrence.parse_rule(event.recurrence_rule)
        vevent.add("rrule", vRecur.from_ical(recurrence.format_rule(parts)))
        start_time = _local(event.start).timetz().replace(tzinfo=None)
        exdates = [
            recurrence.localize(datetime.datetime.combine(c.date, start_time))
            for c in cancellations
        ]
        if exdates:
            vevent.add("exdate", exdates)
    else:
        own_date = _local(event.start).date()
        reasons = [c.reason for c in cancellations if c.date == own_date]
        if reasons:
            vevent.add("status", "CANCELLED")
            vevent["summary"] = f"ANNULÉ – {event.title}"
        else:
            vevent.add("status", "CONFIRMED")
    cal.add_component(vevent)
    # Extra dates may last longer or shorter than the main one: each is its
    # own VEVENT, with its own stable UID.
    cancelled_dates = {c.date for c in cancellations}
    for extra in extras:
        extra_end = extra.end or extra.start + duration
        uid = event_uid(event, "-" + _local(extra.start).strftime("%Y%m%dT%H%M"))
        extra_vevent = _base_vevent(event, request, uid)
        extra_vevent.add("dtstart", _local(extra.start))
        extra_vevent.add("dtend", _local(extra_end))
        if _local(extra.start).date() in cancelled_dates:
            extra_vevent.add("status", "CANCELLED")
        cal.add_component(extra_vevent)


def event_calendar(events, request=None, name=None):
    """The calendar document (bytes) of several events."""
    cal = _new_calendar(name or str(settings.PORTAL_NAME))
    for event in events:
        add_event(cal, event, request)
    cal.add_missing_timezones()
    return cal.to_ical()


def occurrence_calendar(event, occurrence, request=None):
    """One occurrence alone, as an .ics attachment (registration e-mails)."""
    cal = _new_calendar(event.title)
    uid = event_uid(event, "-" + _local(occurrence.start).strftime("%Y%m%dT%H%M"))
    vevent = _base_vevent(event, request, uid)
    vevent.add("dtstart", _local(occurrence.start))
    vevent.add("dtend", _local(occurrence.end))
    vevent.add("status", "CANCELLED" if occurrence.cancelled else "CONFIRMED")
    cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()


def calendar_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
