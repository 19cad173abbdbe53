"""The agenda as a JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/),
filtered like the agenda page.

Each item is one coming date. Its ``id`` is the date's iCalendar identity —
the UID of its VEVENT in `agenda.ics` and its RECURRENCE-ID — so a reader
of both feeds can tell they describe the same date; the ``_ical``
extension carries the two parts separately.
"""

import json

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from events.agenda import ical, recurrence

FEED_SIZE = 50
CONTENT_TYPE = "application/feed+json; charset=utf-8"


def _local(value):
    return value.astimezone(recurrence.local_tz())


def ical_identity(occurrence):
    """(UID, RECURRENCE-ID) of the VEVENT this date belongs to in the
    iCalendar feed: extra dates are VEVENTs of their own."""
    event = occurrence.event
    if occurrence.is_extra:
        uid = ical.dated_uid(event, occurrence.start)
    else:
        uid = ical.event_uid(event)
    return uid, _local(occurrence.start).strftime("%Y%m%dT%H%M%S")


def item(occurrence, request):
    event = occurrence.event
    uid, recurrence_id = ical_identity(occurrence)
    url = event.get_full_url(request) or request.build_absolute_uri(event.url)
    title = event.title
    if occurrence.cancelled:
        title = f"{_('ANNULÉ')} – {title}"
    summary = event.summary
    if occurrence.cancelled and occurrence.cancel_reason:
        summary = f"{_('Annulé')} : {occurrence.cancel_reason}. {summary}"
    data = {
        "id": f"{uid}#{recurrence_id}",
        "url": url,
        "title": title,
        "content_text": summary,
        "summary": summary,
        "date_published": (event.first_published_at or occurrence.start).isoformat(),
        "_ical": {
            "uid": uid,
            "recurrence_id": recurrence_id,
            "dtstart": _local(occurrence.start).isoformat(),
            "dtend": _local(occurrence.end).isoformat(),
            "status": "CANCELLED" if occurrence.cancelled else "CONFIRMED",
        },
    }
    if event.last_published_at:
        data["date_modified"] = event.last_published_at.isoformat()
    if event.event_type_id and event.event_type:
        data["tags"] = [event.event_type.name]
    if event.venue_id and event.venue:
        data["_ical"]["location"] = f"{event.venue.name}, {event.venue.full_address}"
    return data


def document(occurrences, request, query=""):
    feed_url = request.build_absolute_uri(reverse("events:json"))
    home_url = request.build_absolute_uri("/agenda/")
    if query:
        feed_url = f"{feed_url}?{query}"
        home_url = f"{home_url}?{query}"
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _("Agenda de l'atelier numérique citoyen de Wimille"),
        "description": _(
            "Les prochains rendez-vous de la médiathèque de Wimille et de CLX : "
            "petits dej' du libre, install parties, conférences, formations."
        ),
        "home_page_url": home_url,
        "feed_url": feed_url,
        "language": "fr",
        "items": [item(o, request) for o in occurrences],
    }


def response(data, status=200):
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type=CONTENT_TYPE,
        status=status,
    )
