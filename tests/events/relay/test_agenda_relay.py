"""Relaying the agenda: the JSON Feed, the widget the partners' sites frame
(and only theirs), the « Diffuser l'agenda » page, and filtered feeds that
hold exactly what the filtered agenda page shows."""

import json
import re

import icalendar
import pytest
import time_machine
from django.core.cache import cache

from home.models import Partner
from tests.factories.events import EventTypeFactory, create_event, paris
from tests.pages import text

pytestmark = pytest.mark.django_db

NOW = paris(2026, 12, 1, 10, 0)


@pytest.fixture(autouse=True)
def _frozen():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def events(agenda):
    clx = Partner.objects.get(slug="clx")
    town = Partner.objects.get(slug="mediatheque-wimille")
    install = EventTypeFactory(slug="install-party", name="Install party")
    breakfast = EventTypeFactory()
    return {
        "install": create_event(
            agenda,
            title="Install party",
            start=paris(2026, 12, 9, 14, 0),
            partners=[clx],
            event_type=install,
        ),
        "monthly": create_event(
            agenda,
            title="Petit déj du premier samedi",
            start=paris(2026, 12, 5, 9, 30),
            recurrence="monthly_weekday",
            recurrence_count=4,
            partners=[clx, town],
            event_type=breakfast,
            audience="debutants",
        ),
        "seniors": create_event(
            agenda,
            title="Tablette pour les seniors",
            start=paris(2026, 12, 10, 14, 0),
            partners=[town],
            event_type=breakfast,
            audience="seniors",
        ),
    }


# -- JSON Feed -----------------------------------------------------------------------


def test_json_feed_is_json_feed_1_1(client, events):
    response = client.get("/agenda/agenda.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/feed+json")
    data = json.loads(response.content)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == "http://testserver/agenda/agenda.json"
    assert data["language"] == "fr"
    ids = [item["id"] for item in data["items"]]
    assert len(ids) == len(set(ids)) == 1 + 4 + 1
    for item in data["items"]:
        assert item["url"].startswith("http://testserver/agenda/")
        assert item["title"] and item["content_text"]
    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_json_ids_are_the_ical_uids(client, events):
    data = json.loads(client.get("/agenda/agenda.json").content)
    calendar = icalendar.Calendar.from_ical(client.get("/agenda/agenda.ics").content)
    uids = {str(v["uid"]) for v in calendar.walk("VEVENT")}
    for item in data["items"]:
        assert item["_ical"]["uid"] in uids
        assert item["id"] == f"{item['_ical']['uid']}#{item['_ical']['recurrence_id']}"


def test_unknown_filter_value_is_a_french_400(client, events):
    for url in (
        "/agenda/agenda.json?partenaire=inconnu",
        "/agenda/agenda.json?type=rien",
        "/agenda/agenda.json?public=martiens",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "Filtre inconnu" in json.loads(response.content)["erreur"]
    widget = client.get("/agenda/widget/?partenaire=inconnu")
    assert widget.status_code == 400
    assert "Filtre inconnu" in text(widget)
    assert client.get("/agenda/widget/?nombre=500").status_code == 400
    assert client.get("/agenda/widget/?nombre=abc").status_code == 400


def page_slugs(client, query):
    """Slugs of the events the filtered agenda page lists (all its pages)."""
    html = client.get(f"/agenda/?{query}").content.decode()
    return set(re.findall(r'href="/agenda/(evenement-\d+)/', html))


def slug_of(url):
    return re.search(r"/agenda/(evenement-\d+)/", url).group(1)


FILTERS = [
    "partenaire=clx",
    "partenaire=mediatheque-wimille",
    "type=install-party",
    "public=seniors",
    "partenaire=clx&public=debutants",
    "partenaire=mediatheque-wimille&type=install-party",
]


@pytest.mark.parametrize("query", FILTERS)
def test_filtered_feeds_hold_what_the_filtered_page_shows(client, events, query):
    expected = page_slugs(client, query)
    assert expected or query.endswith("install-party")
    data = json.loads(client.get(f"/agenda/agenda.json?{query}").content)
    assert {slug_of(item["url"]) for item in data["items"]} == expected
    feed_query = data["feed_url"].split("?", 1)[1]
    assert sorted(feed_query.split("&")) == sorted(query.split("&"))
    calendar = icalendar.Calendar.from_ical(
        client.get(f"/agenda/agenda.ics?{query}").content
    )
    assert {slug_of(str(v["url"])) for v in calendar.walk("VEVENT")} == expected
    rss = client.get(f"/agenda/rss/?{query}").content.decode()
    items = re.findall(r"<item>.*?<link>([^<]+)</link>", rss, re.S)
    assert {slug_of(link) for link in items} == expected


def test_filtered_feeds_keep_the_full_feeds_uids(client, events):
    full = icalendar.Calendar.from_ical(client.get("/agenda/agenda.ics").content)
    full_uids = {str(v["uid"]) for v in full.walk("VEVENT")}
    full_ids = {
        item["id"]
        for item in json.loads(client.get("/agenda/agenda.json").content)["items"]
    }
    for query in FILTERS:
        part = icalendar.Calendar.from_ical(
            client.get(f"/agenda/agenda.ics?{query}").content
        )
        assert {str(v["uid"]) for v in part.walk("VEVENT")} <= full_uids
        data = json.loads(client.get(f"/agenda/agenda.json?{query}").content)
        assert {item["id"] for item in data["items"]} <= full_ids


def test_agenda_page_feed_links_follow_its_filters(client, events):
    html = client.get("/agenda/?partenaire=clx&type=install-party").content.decode()
    for path in ("agenda.ics", "rss/", "agenda.json"):
        assert f'href="/agenda/{path}?type=install-party&amp;partenaire=clx"' in html
    assert 'rel="alternate" type="application/feed+json"' in html
    plain = client.get("/agenda/").content.decode()
    assert 'href="/agenda/agenda.ics"' in plain


# -- The widget ------------------------------------------------------------------------


def test_widget_may_be_framed_by_the_partners_sites_only(client, events):
    response = client.get("/agenda/widget/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    ancestors = re.search(r"frame-ancestors ([^;]*)", csp).group(1).split()
    assert sorted(ancestors) == ["https://clx.asso.fr", "https://www.wimille.fr"]
    assert "X-Frame-Options" not in response
    assert not response.cookies
    assert "public" in response["Cache-Control"]
    # Every other page keeps refusing to be framed.
    for url in ("/agenda/", "/agenda/diffuser/", "/agenda/abonnement/", "/"):
        other = client.get(url)
        assert "frame-ancestors 'self'" in other["Content-Security-Policy"], url
        assert other["X-Frame-Options"] == "SAMEORIGIN", url


def test_widget_follows_the_partner_records(client, events):
    Partner.objects.filter(slug="clx").update(
        website="https://www.clx.example:8443/agenda"
    )
    Partner.objects.filter(slug="mediatheque-wimille").update(website="")
    csp = client.get("/agenda/widget/")["Content-Security-Policy"]
    assert "frame-ancestors https://www.clx.example:8443;" in csp + ";"
    Partner.objects.update(website="")
    csp = client.get("/agenda/widget/")["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp


def test_widget_is_light_and_opens_links_in_the_top_window(client, events):
    response = client.get("/agenda/widget/?partenaire=clx&nombre=2")
    html = response.content.decode()
    assert "<script" not in html
    assert "site.css" not in html and "widget.css" in html
    assert html.count('class="widget__item') == 2
    assert "Tablette" not in html
    for anchor in re.findall(r"<a [^>]*>", html):
        assert 'target="_top"' in anchor
    assert 'href="/agenda/?partenaire=clx"' in html


def test_partner_website_must_be_http(client, events):
    from django.core.exceptions import ValidationError

    partner = Partner.objects.get(slug="clx")
    partner.website = "ftp://clx.asso.fr/"
    with pytest.raises(ValidationError):
        partner.full_clean()


# -- « Diffuser l'agenda » -------------------------------------------------------------


def test_share_page_lists_feeds_and_iframe_per_partner_and_type(client, events):
    response = client.get("/agenda/diffuser/")
    assert response.status_code == 200
    html = response.content.decode()
    for query in (
        "partenaire=clx",
        "partenaire=mediatheque-wimille",
        "type=install-party",
    ):
        for path in ("agenda.ics", "rss/", "agenda.json", "widget/"):
            assert f"http://testserver/agenda/{path}?{query}" in html
    assert (
        "&lt;iframe src=&quot;http://testserver/agenda/widget/?partenaire=clx" in html
    )
    assert "Diffuser l'agenda" in text(response)
    assert not response.cookies


# -- Cost ------------------------------------------------------------------------------


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_history(agenda, count, offset):
    from events.models import Occurrence

    clx = Partner.objects.get(slug="clx")
    for n in range(count):
        create_event(
            agenda,
            title=f"Atelier passé {offset + n}",
            start=paris(2025, 1 + n % 12, 1 + n % 27, 14, 0),
            recurrence="weekly",
            recurrence_count=10,
            partners=[clx],
            publish=False,
        )
    return Occurrence.objects.count()


URLS = [
    "/agenda/widget/?partenaire=clx&nombre=10",
    "/agenda/agenda.json?partenaire=clx",
    "/agenda/widget/",
    "/agenda/agenda.json",
]


def test_widget_and_json_cost_does_not_grow_with_history(
    client, events, agenda, django_assert_max_num_queries
):
    before_rows = _add_history(agenda, 10, 0)
    before = {url: _queries(client, url) for url in URLS}
    after_rows = _add_history(agenda, 60, 10)
    assert after_rows >= before_rows + 500
    after = {url: _queries(client, url) for url in URLS}
    assert after == before
    for url in URLS:
        cache.clear()
        with django_assert_max_num_queries(11):
            client.get(url)
