"""The agenda's feeds at any size: agenda.ics holds the events with a date
from three months ago onwards (recurrences still as RRULE/EXDATE/RDATE, UIDs
unchanged), the RSS feed the next dates; both take the agenda page's own
filters, and refuse an unknown value with a French 400."""

import datetime

import icalendar
import pytest
import time_machine

from home.models import Partner
from tests.factories.events import EventTypeFactory, create_event, paris

pytestmark = pytest.mark.django_db

NOW = paris(2026, 11, 27, 10)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def summaries(response):
    cal = icalendar.Calendar.from_ical(response.content)
    return sorted(str(c["summary"]) for c in cal.walk("VEVENT"))


def rss_titles(response):
    import re

    return re.findall(r"<item><title>([^<]+?) – ", response.content.decode())


def test_agenda_ics_is_bounded_to_three_months_of_history(client, agenda):
    create_event(agenda, title="Il y a un an", start=paris(2025, 11, 20, 14, 0))
    create_event(agenda, title="Il y a deux mois", start=paris(2026, 9, 26, 14, 0))
    recurring = create_event(
        agenda,
        title="Chaque mois depuis longtemps",
        start=paris(2024, 1, 6, 9, 30),
        recurrence="monthly_weekday",
        cancellations=[(datetime.date(2026, 12, 5), "Fermeture")],
        extra_dates=[paris(2026, 12, 12, 9, 30)],
    )
    create_event(agenda, title="Bientôt", start=paris(2026, 12, 19, 14, 0))
    response = client.get("/agenda/agenda.ics")
    assert response.status_code == 200
    assert summaries(response) == [
        "Bientôt",
        "Chaque mois depuis longtemps",
        "Chaque mois depuis longtemps",  # the extra date, its own VEVENT
        "Il y a deux mois",
    ]
    cal = icalendar.Calendar.from_ical(response.content)
    main = next(
        c
        for c in cal.walk("VEVENT")
        if str(c["uid"]).startswith(f"evenement-{recurring.pk}@")
    )
    assert main["rrule"]["FREQ"] == ["MONTHLY"]
    assert "EXDATE" in main
    # HEAD answers too.
    assert client.head("/agenda/agenda.ics").status_code == 200


def test_feeds_take_the_agenda_filters(client, agenda):
    install = EventTypeFactory(slug="install-party", name="Install party")
    clx = Partner.objects.get(slug="clx")
    create_event(agenda, title="Install", event_type=install, partners=[clx])
    create_event(agenda, title="Pour seniors", audience="seniors")
    create_event(agenda, title="Tout public")
    for query, expected in [
        ("", ["Install", "Pour seniors", "Tout public"]),
        ("?type=install-party", ["Install"]),
        ("?public=seniors", ["Pour seniors"]),
        ("?partenaire=clx", ["Install"]),
        ("?partenaire=clx&type=install-party", ["Install"]),
        ("?partenaire=clx&public=seniors", []),
    ]:
        assert summaries(client.get("/agenda/agenda.ics" + query)) == expected, query
        assert sorted(rss_titles(client.get("/agenda/rss/" + query))) == expected


@pytest.mark.parametrize(
    "query",
    [
        "?type=inconnu",
        "?public=%3Cscript%3E",
        "?partenaire=personne",
        "?type=a%00b",
        "?type=" + "x" * 300,
    ],
)
def test_an_unknown_filter_is_a_french_400(client, agenda, query):
    for url in ("/agenda/agenda.ics", "/agenda/rss/"):
        response = client.get(url + query)
        assert response.status_code == 400, url
        # A NUL byte is refused by the site's own guard before the view.
        if "%00" not in query:
            assert "Filtre inconnu" in response.content.decode()


def test_rss_holds_the_next_dates_only(client, agenda):
    create_event(agenda, title="Passé", start=paris(2026, 10, 1, 14, 0))
    create_event(
        agenda,
        title="Chaque mardi",
        start=paris(2026, 12, 1, 14, 0),
        recurrence="weekly",
    )
    titles = rss_titles(client.get("/agenda/rss/"))
    assert len(titles) == 50 and set(titles) == {"Chaque mardi"}
