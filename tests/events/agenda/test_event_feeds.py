"""Relaying the agenda: iCalendar files that a standard RFC 5545 expander
reads back to the right local dates, the RSS feed, schema.org JSON-LD, the
feeds announced in <head>, and the public API without private fields."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

from events.agenda import ical
from home.models import Partner
from tests.factories.events import create_event, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def petit_dej(agenda):
    return create_event(
        agenda,
        title="Les petits dej' du libre",
        slug="petits-dej-du-libre",
        start=paris(2026, 9, 5, 9, 30),
        recurrence="monthly_weekday",
        partners=list(Partner.objects.all()),
        cancellations=[(datetime.date(2027, 1, 2), "Fermeture pour les fêtes")],
    )


def expand_vevent(vevent, start, end):
    """Expand one VEVENT the way calendar apps do: DTSTART + RRULE - EXDATE
    (dateutil's RFC 5545 implementation)."""
    dtstart = vevent["DTSTART"].dt
    rules = rruleset()
    rules.rrule(
        rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=dtstart, forceset=False)
    )
    exdates = vevent.get("EXDATE")
    for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        for item in group.dts:
            rules.exdate(item.dt)
    return rules.between(start, end, inc=True)


def test_agenda_ics_expands_to_the_right_local_dates_for_twelve_months(
    client, petit_dej
):
    with time_machine.travel(paris(2026, 11, 27, 10), tick=False):
        response = client.get("/agenda/agenda.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert cal["VERSION"] == "2.0"
    assert "Wimille" in str(cal["PRODID"])
    timezones = [tz["TZID"] for tz in cal.walk("VTIMEZONE")]
    assert timezones == ["Europe/Paris"]
    (vevent,) = cal.walk("VEVENT")
    assert vevent["UID"] == f"evenement-{petit_dej.pk}@testserver"
    assert "DTSTAMP" in vevent
    assert "3 rue de Ledinghen" in str(vevent["LOCATION"])
    assert str(vevent["URL"]).endswith("/agenda/petits-dej-du-libre/")
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"

    starts = expand_vevent(vevent, paris(2026, 12, 1, 0), paris(2027, 11, 30, 23))
    local = [s.astimezone(paris(2026, 1, 1).tzinfo) for s in starts]
    assert [s.strftime("%Y-%m-%d %H:%M") for s in local] == [
        "2026-12-05 09:30",
        # 2027-01-02 is cancelled (EXDATE)
        "2027-02-06 09:30",
        "2027-03-06 09:30",
        "2027-04-03 09:30",
        "2027-05-01 09:30",
        "2027-06-05 09:30",
        "2027-07-03 09:30",
        "2027-08-07 09:30",
        "2027-09-04 09:30",
        "2027-10-02 09:30",
        "2027-11-06 09:30",
    ]
    # The same instants the site itself shows, occurrence by occurrence.
    site = [
        o.start
        for o in petit_dej.occurrences(paris(2026, 12, 1, 0), paris(2027, 11, 30, 23))
        if not o.cancelled
    ]
    assert starts == site


def test_uid_is_stable_between_downloads(client, petit_dej):
    first = Calendar.from_ical(client.get("/agenda/agenda.ics").content)
    second = Calendar.from_ical(client.get("/agenda/agenda.ics").content)
    assert [e["UID"] for e in first.walk("VEVENT")] == [
        e["UID"] for e in second.walk("VEVENT")
    ]


def test_single_cancelled_event_is_status_cancelled(client, agenda):
    event = create_event(
        agenda,
        slug="conference",
        start=paris(2026, 12, 10, 18, 30),
        cancellations=[(datetime.date(2026, 12, 10), "Intervenant malade")],
    )
    response = client.get("/agenda/conference/evenement.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["UID"] == f"evenement-{event.pk}@testserver"


def test_extra_dates_are_their_own_events(client, agenda):
    create_event(
        agenda,
        slug="install-party",
        start=paris(2026, 12, 19, 14, 0),
        extra_dates=[paris(2027, 1, 16, 14, 0)],
    )
    cal = Calendar.from_ical(client.get("/agenda/install-party/evenement.ics").content)
    starts = sorted(e["DTSTART"].dt for e in cal.walk("VEVENT"))
    assert starts == [paris(2026, 12, 19, 14, 0), paris(2027, 1, 16, 14, 0)]
    assert len({e["UID"] for e in cal.walk("VEVENT")}) == 2


def test_event_ics_of_unknown_or_draft_event_is_404(client, agenda):
    draft = create_event(agenda, slug="brouillon", publish=False)
    draft.unpublish()
    assert client.get("/agenda/brouillon/evenement.ics").status_code == 404
    assert client.get("/agenda/nexiste-pas/evenement.ics").status_code == 404


def test_occurrence_calendar_for_email_attachments(petit_dej):
    occurrence = petit_dej.get_occurrence("2026-12-05T09:30:00+01:00")
    content = ical.occurrence_calendar(petit_dej, occurrence)
    (vevent,) = Calendar.from_ical(content).walk("VEVENT")
    assert vevent["DTSTART"].dt == paris(2026, 12, 5, 9, 30)
    assert vevent["DTEND"].dt == paris(2026, 12, 5, 12, 0)
    assert "RRULE" not in vevent


def test_rss_lists_next_dates_and_flags_cancelled_ones(client, petit_dej):
    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):
        response = client.get("/agenda/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 (our own feed)
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles[0].startswith("ANNULÉ – Les petits dej' du libre – samedi 2 janvier")
    assert titles[1] == "Les petits dej' du libre – samedi 6 février 2027, 9 h 30"
    guids = [item.findtext("guid") for item in channel.findall("item")]
    assert len(set(guids)) == len(guids)
    assert "@" not in response.content.decode().replace("@context", "")


def extract_jsonld(html):
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
    )
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_event_page_json_ld_is_a_schema_org_event(client, petit_dej):
    with time_machine.travel(paris(2026, 11, 27, 10), tick=False):
        html = client.get(petit_dej.url).content.decode()
    data = extract_jsonld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Les petits dej' du libre"
    assert data["startDate"] == "2026-12-05T09:30:00+01:00"
    assert data["endDate"] == "2026-12-05T12:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == (
        "https://schema.org/OfflineEventAttendanceMode"
    )
    assert data["isAccessibleForFree"] is True
    assert data["offers"]["price"] == "0"
    assert data["offers"]["priceCurrency"] == "EUR"
    place = data["location"]
    assert place["@type"] == "Place"
    assert place["address"]["@type"] == "PostalAddress"
    assert place["address"]["postalCode"] == "62126"
    assert place["address"]["addressLocality"] == "Wimille"
    names = {org["name"] for org in data["organizer"]}
    assert "Médiathèque de Wimille" in names


def test_json_ld_of_a_cancelled_event_and_escaping(client, agenda):
    event = create_event(
        agenda,
        title="Conférence </script><b>piège</b>",
        slug="conference",
        start=paris(2026, 12, 10, 18, 30),
        is_free=False,
        price="5.00",
        cancellations=[(datetime.date(2026, 12, 10), "Intervenant malade")],
    )
    with time_machine.travel(paris(2026, 11, 27, 10), tick=False):
        html = client.get(event.url).content.decode()
    assert "</script><b>" not in html
    data = extract_jsonld(html)
    assert data["name"] == "Conférence </script><b>piège</b>"
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["isAccessibleForFree"] is False
    assert data["offers"]["price"] == "5.00"
    assert "Intervenant malade" in html


@pytest.mark.parametrize("url", ["/", "/agenda/", "/agenda/petits-dej-du-libre/"])
def test_feeds_are_announced_in_head(client, petit_dej, url):
    html = client.get(url).content.decode()
    head = html[: html.index("</head>")]
    assert 'type="text/calendar"' in head and 'href="/agenda/agenda.ics"' in head
    assert 'type="application/rss+xml"' in head and 'href="/agenda/rss/"' in head
    if "petits-dej" in url:
        assert 'href="/agenda/petits-dej-du-libre/evenement.ics"' in head
        assert "Ajouter à mon agenda" in html


PUBLIC_API_FIELDS = {
    "id",
    "meta",
    "title",
    "summary",
    "start",
    "end",
    "recurrence_rule",
    "event_type",
    "audience",
    "tags",
    "venue",
    "attendance_mode",
    "is_free",
    "price",
    "age_min",
    "age_max",
    "access_motor",
    "access_hearing",
    "access_visual",
    "access_intellectual",
    "access_psychic",
    "accessibility_notes",
    "capacity",
}


def test_api_exposes_public_fields_only(client, petit_dej):
    response = client.get("/api/v2/pages/?type=events.EventPage&fields=*")
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert set(item) == PUBLIC_API_FIELDS
    assert item["venue"]["city"] == "Wimille"
    detail = client.get(f"/api/v2/pages/{petit_dej.pk}/").json()
    for private in ("registrations", "facilitators", "online_url", "email"):
        assert private not in detail
    assert "registrations" not in json.dumps(detail)
