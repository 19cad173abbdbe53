"""schema.org ``Event`` description of an event, for search engines and
agenda aggregators (JSON-LD in the event page)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

ATTENDANCE = {
    "offline": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "mixed": "https://schema.org/MixedEventAttendanceMode",
}


def event_data(event, occurrence=None, request=None):
    """The JSON-LD dict of ``event`` at ``occurrence`` (or its first date)."""
    start = occurrence.local_start if occurrence else event.start
    end = occurrence.local_end if occurrence else event.end
    cancelled = bool(occurrence and occurrence.cancelled)
    url = event.get_full_url(request) or event.url
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "url": url,
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": ATTENDANCE.get(event.attendance_mode),
        "isAccessibleForFree": bool(event.is_free),
        "inLanguage": "fr",
    }
    locations = []
    if event.venue and event.attendance_mode != "online":
        venue = event.venue
        place = {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": venue.address,
                "postalCode": venue.postal_code,
                "addressLocality": venue.city,
                "addressCountry": "FR",
            },
        }
        if venue.latitude is not None and venue.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(venue.latitude),
                "longitude": float(venue.longitude),
            }
        locations.append(place)
    if event.attendance_mode in ("online", "mixed") and event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    organizers = [
        {"@type": "Organization", "name": partner.name, "url": partner.website}
        if partner.website
        else {"@type": "Organization", "name": partner.name}
        for partner in event.shown_partners
    ]
    if organizers:
        data["organizer"] = organizers[0] if len(organizers) == 1 else organizers
    price = "0" if event.is_free or event.price is None else f"{event.price:.2f}"
    data["offers"] = {
        "@type": "Offer",
        "price": price,
        "priceCurrency": "EUR",
        "url": url,
        "availability": "https://schema.org/InStock",
    }
    if event.image_id and event.image_alt:
        pass  # image URLs need a rendition; left to the page's og tags
    return data


def as_script_content(data):
    """JSON safe to put inside <script type="application/ld+json">: the same
    escaping as Django's json_script (<, > and & as \\u escapes)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_json_script_escapes))  # noqa: S308
