"""The JSON documents the agenda shows the fediverse: WebFinger answers,
actors, collections and each event as an ActivityStreams `Event`.

An event federates one date: its next one (a recurring event's series is its
page, linked by `url`), so followers get one post per event, not one per
week. Only what the public page shows is federated; nothing about
registrants.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from events.fediverse import icon, keys
from events.models import EventIndexPage, EventPage, Occurrence
from home.models import Partner

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
# Terms Mastodon, Mobilizon and Gancio use beyond ActivityStreams.
EXTENSIONS = {
    "Hashtag": "as:Hashtag",
    "sensitive": "as:sensitive",
    "toot": "http://joinmastodon.org/ns#",
    "featured": {"@id": "toot:featured", "@type": "@id"},
    "discoverable": "toot:discoverable",
    "schema": "http://schema.org#",
    "PostalAddress": "schema:PostalAddress",
    "address": {"@id": "schema:address", "@type": "@id"},
    "addressLocality": "schema:addressLocality",
    "addressCountry": "schema:addressCountry",
    "postalCode": "schema:postalCode",
    "streetAddress": "schema:streetAddress",
    "timezone": {"@id": "schema:timezone"},
    "ical": "http://www.w3.org/2002/12/cal/ical#",
}
CONTEXT = [AS_CONTEXT, SECURITY_CONTEXT, EXTENSIONS]
AGENDA = "agenda"
PAGE_SIZE = 20
FEATURED_SIZE = 3
TIMEZONE = "Europe/Paris"


def base_url():
    return (
        getattr(settings, "FEDIVERSE_BASE_URL", "")
        or settings.WAGTAILADMIN_BASE_URL
        or "http://localhost"
    ).rstrip("/")


def host():
    return urlsplit(base_url()).netloc


def absolute(path):
    return path if path.startswith(("http://", "https://")) else base_url() + path


def actor_id(name):
    return absolute(reverse("fediverse:actor", kwargs={"name": name}))


def key_id(name=AGENDA):
    return actor_id(name) + "#main-key"


def local_actor(name):
    """The partner behind `name`, or None for the agenda; raises
    Partner.DoesNotExist for an unknown name."""
    if name == AGENDA:
        return None
    return Partner.objects.get(slug=name)


def agenda_url():
    index = EventIndexPage.objects.live().first()
    return absolute(index.url) if index and index.url else base_url() + "/"


def events_of(name):
    events = EventPage.objects.live().public()
    if name != AGENDA:
        events = events.filter(partners__slug=name)
    return events


# --- WebFinger and actors ----------------------------------------------------


def webfinger(name):
    return {
        "subject": f"acct:{name}@{host()}",
        "aliases": [actor_id(name)],
        "links": [
            {
                "rel": "self",
                "type": "application/activity+json",
                "href": actor_id(name),
            },
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": agenda_url(),
            },
        ],
    }


def actor(name, partner=None):
    me = actor_id(name)
    with translation.override("fr"):
        if partner is None:
            title = _("Agenda de l'atelier numérique citoyen")
            summary = _(
                "Les ateliers, permanences et rencontres numériques de la "
                "Médiathèque de Wimille et du Club Linux Nord–Pas-de-Calais. "
                "Abonnez-vous pour recevoir chaque nouvel événement."
            )
        else:
            title = _("Événements de %(name)s") % {"name": partner.name}
            summary = _(
                "Les événements organisés par %(name)s à l'atelier numérique "
                "citoyen de Wimille."
            ) % {"name": partner.name}
    return {
        "@context": CONTEXT,
        "id": me,
        "type": "Service",
        "preferredUsername": name,
        "name": str(title),
        "summary": f"<p>{escape(summary)}</p>",
        "url": agenda_url(),
        # A PNG: Mastodon shows no SVG avatar (events/fediverse/icon.py).
        "icon": {
            "type": "Image",
            "mediaType": "image/png",
            "url": absolute(static(icon.STATIC_PATH)),
            "name": str(title),
        },
        "inbox": absolute(reverse("fediverse:inbox", kwargs={"name": name})),
        "outbox": absolute(reverse("fediverse:outbox", kwargs={"name": name})),
        "followers": absolute(reverse("fediverse:followers", kwargs={"name": name})),
        "featured": absolute(reverse("fediverse:featured", kwargs={"name": name})),
        "endpoints": {"sharedInbox": absolute(reverse("fediverse:shared_inbox"))},
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "publicKey": {
            "id": key_id(name),
            "owner": me,
            "publicKeyPem": keys.public_key_pem(),
        },
    }


# --- Events ------------------------------------------------------------------


def event_id(event):
    return absolute(reverse("fediverse:event", kwargs={"pk": event.pk}))


def with_next_date(events, now=None):
    """Annotate each event with its next date not cancelled, and its next
    cancelled one with the reason (in the same query)."""
    upcoming = Occurrence.objects.filter(
        event=OuterRef("pk"), end__gt=now or timezone.now()
    ).order_by("start")
    held = upcoming.filter(is_cancelled=False)
    cancelled = upcoming.filter(is_cancelled=True)
    return events.annotate(
        next_start=Subquery(held.values("start")[:1]),
        next_end=Subquery(held.values("end")[:1]),
        cancelled_start=Subquery(cancelled.values("start")[:1]),
        cancelled_end=Subquery(cancelled.values("end")[:1]),
        cancelled_reason=Subquery(cancelled.values("cancellation_reason")[:1]),
    )


def french_when(start):
    local = timezone.localtime(start)
    with translation.override("fr"):
        day = date_format(local, "l j F Y")
    time = f"{local.hour} h" + (f" {local.minute:02d}" if local.minute else "")
    return f"{day[:1].upper()}{day[1:]} à {time}"


def _place(venue):
    return {
        "type": "Place",
        "name": venue.name,
        "address": {
            "type": "PostalAddress",
            "streetAddress": venue.address,
            "postalCode": venue.postal_code,
            "addressLocality": venue.city,
            "addressCountry": "FR",
        },
        **(
            {"latitude": float(venue.latitude), "longitude": float(venue.longitude)}
            if venue.latitude is not None and venue.longitude is not None
            else {}
        ),
    }


def event_object(event, name=AGENDA):
    """The ActivityStreams Event of `event` at its next date (or its first
    one once all are past)."""
    start = getattr(event, "next_start", None)
    end = getattr(event, "next_end", None)
    dropped = getattr(event, "cancelled_start", None)
    reason = getattr(event, "cancelled_reason", "") or ""
    # Every date still to come is cancelled: the event is, at that date.
    cancelled = start is None and dropped is not None
    if cancelled:
        start, end = dropped, event.cancelled_end
    start = start or event.start
    end = end or event.end or start
    url = absolute(event.get_url() or event.url_path)
    summary = french_when(start)
    if cancelled:
        summary = f"Annulé — {summary}"
    if event.venue_id and event.attendance_mode != "online":
        summary += f", {event.venue.name}"
    content = linebreaks(escape(event.summary or ""))
    if dropped is not None:
        notice = f"Annulé : {french_when(dropped)}" + (f" ({reason})" if reason else "")
        content = f"<p><strong>{escape(notice)}</strong></p>" + content
    recurrence = event.recurrence_description if event.recurrence else ""
    if recurrence:
        content += f"<p>{escape(recurrence)}</p>"
    content += f'<p><a href="{escape(url)}">{escape(url)}</a></p>'
    tags = [
        {
            "type": "Hashtag",
            "name": "#" + "".join(word.capitalize() for word in tag.name.split()),
            "href": absolute(reverse("search")) + "?" + urlencode({"q": tag.name}),
        }
        for tag in event.tags.all()
    ]
    data = {
        "id": event_id(event),
        "type": "Event",
        "name": event.title,
        "summary": summary,
        "content": content,
        "mediaType": "text/html",
        "startTime": timezone.localtime(start).isoformat(),
        "endTime": timezone.localtime(end).isoformat(),
        "timezone": TIMEZONE,
        # iCalendar's status, as Mobilizon sends it.
        "ical:status": "CANCELLED" if cancelled else "CONFIRMED",
        "url": url,
        "attributedTo": actor_id(name),
        "to": [PUBLIC],
        "cc": [absolute(reverse("fediverse:followers", kwargs={"name": name}))],
        "published": (event.first_published_at or timezone.now()).isoformat(),
        "updated": (event.last_published_at or timezone.now()).isoformat(),
        "tag": tags,
    }
    if event.venue_id and event.attendance_mode != "online":
        data["location"] = _place(event.venue)
    elif event.online_url:
        data["location"] = {"type": "VirtualLocation", "url": event.online_url}
    if event.image_id:
        rendition = event.image.get_rendition("fill-1200x630")
        data["image"] = {
            "type": "Image",
            "url": absolute(rendition.url),
            "name": event.image_alt or "",
        }
    return data


def activity(kind, obj, name=AGENDA, suffix=None):
    """Create / Update / Delete of an event object, from `name`."""
    obj_id = obj["id"] if isinstance(obj, dict) else obj
    stamp = suffix or timezone.now().strftime("%Y%m%d%H%M%S%f")
    return {
        "@context": CONTEXT,
        "id": f"{obj_id}#{kind.lower()}-{stamp}",
        "type": kind,
        "actor": actor_id(name),
        "to": [PUBLIC],
        "cc": [absolute(reverse("fediverse:followers", kwargs={"name": name}))],
        "object": obj,
    }


def tombstone(event_pk):
    return {
        "id": absolute(reverse("fediverse:event", kwargs={"pk": event_pk})),
        "type": "Tombstone",
        "formerType": "Event",
    }


def _listed(events):
    return with_next_date(
        events.select_related("venue", "image").prefetch_related(
            "tags", "image__renditions"
        )
    )


def outbox(name, page=None):
    events = events_of(name)
    collection_id = absolute(reverse("fediverse:outbox", kwargs={"name": name}))
    if page is None:
        return {
            "@context": CONTEXT,
            "id": collection_id,
            "type": "OrderedCollection",
            "totalItems": events.count(),
            "first": f"{collection_id}?page=1",
        }
    rows = list(
        _listed(events).order_by("-first_published_at", "-pk")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1
        ]
    )
    data = {
        "@context": CONTEXT,
        "id": f"{collection_id}?page={page}",
        "type": "OrderedCollectionPage",
        "partOf": collection_id,
        "orderedItems": [
            activity("Create", event_object(event, name), name, suffix="outbox")
            for event in rows[:PAGE_SIZE]
        ],
    }
    if len(rows) > PAGE_SIZE:
        data["next"] = f"{collection_id}?page={page + 1}"
    if page > 1:
        data["prev"] = f"{collection_id}?page={page - 1}"
    return data


def featured(name):
    """The next flagship dates: the next events to come, soonest first."""
    rows = list(
        _listed(events_of(name))
        .filter(next_start__isnull=False)
        .order_by("next_start", "pk")[:FEATURED_SIZE]
    )
    collection_id = absolute(reverse("fediverse:featured", kwargs={"name": name}))
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "OrderedCollection",
        "totalItems": len(rows),
        "orderedItems": [event_object(event, name) for event in rows],
    }


def followers(name, count):
    """Only the number: who follows whom is nobody else's business."""
    return {
        "@context": CONTEXT,
        "id": absolute(reverse("fediverse:followers", kwargs={"name": name})),
        "type": "OrderedCollection",
        "totalItems": count,
    }
