"""One card per event (issue 29): how an event recurs said in French, the
agenda « par événement » (default) and « par date », a cancelled next date
said plainly, places left, the home page's varied selection with its « à
la une » override, the next assistance permanence one click away, and the
grouped agenda's queries that do not grow with the number of events."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.factories import (
    RegistrationFactory,
    RegistrationListFactory,
    appointment_event,
)
from events.models import EventExtraDate, EventPage
from events.programme.groups import describe_recurrence
from home.models import Partner
from tests.factories.events import EventTypeFactory, create_event, paris

NOW = paris(2026, 11, 27, 10)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def text(response):
    assert response.status_code == 200
    return response.content.decode().replace("\xa0", " ")


def cards(html):
    """The cards' titles, in page order."""
    return re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', html)


def results(html):
    """The list of results of the agenda (not the menus or the footer)."""
    return html[html.index('id="results-title"') : html.index('id="subscribe-title"')]


# --- the recurrence in French ----------------------------------------------

TUESDAY = (paris(2026, 12, 1, 14, 0), paris(2026, 12, 1, 16, 0))
SATURDAY = (paris(2026, 12, 5, 9, 30), paris(2026, 12, 5, 12, 0))


@pytest.mark.parametrize(
    ("when", "rule", "expected"),
    [
        (TUESDAY, "FREQ=WEEKLY;BYDAY=TU", "tous les mardis de 14 h à 16 h"),
        (TUESDAY, "FREQ=WEEKLY", "tous les mardis de 14 h à 16 h"),
        (
            TUESDAY,
            "FREQ=WEEKLY;BYDAY=TU;COUNT=10",
            "tous les mardis de 14 h à 16 h, jusqu'au 2 février 2027",
        ),
        (
            TUESDAY,
            "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630T215959Z",
            "tous les mardis de 14 h à 16 h, jusqu'au 30 juin 2027",
        ),
        (TUESDAY, "FREQ=WEEKLY;INTERVAL=2", "un mardi sur deux de 14 h à 16 h"),
        (
            TUESDAY,
            "FREQ=WEEKLY;BYDAY=MO,TH",
            "tous les lundis et jeudis de 14 h à 16 h",
        ),
        (
            SATURDAY,
            "FREQ=MONTHLY;BYDAY=+1SA",
            "le premier samedi du mois de 9 h 30 à 12 h",
        ),
        (
            SATURDAY,
            "FREQ=MONTHLY;BYDAY=SA;BYSETPOS=1",
            "le premier samedi du mois de 9 h 30 à 12 h",
        ),
        (
            SATURDAY,
            "FREQ=MONTHLY;BYDAY=-1SA;UNTIL=20270601",
            "le dernier samedi du mois de 9 h 30 à 12 h, jusqu'au 1er juin 2027",
        ),
        (
            SATURDAY,
            "FREQ=MONTHLY;BYDAY=+1SA;INTERVAL=2",
            "le premier samedi du mois, un mois sur deux de 9 h 30 à 12 h",
        ),
        (
            SATURDAY,
            "FREQ=MONTHLY;BYMONTHDAY=1",
            "le 1er de chaque mois de 9 h 30 à 12 h",
        ),
        (TUESDAY, "FREQ=DAILY", "tous les jours de 14 h à 16 h"),
        (
            TUESDAY,
            "FREQ=DAILY;COUNT=5",
            "tous les jours de 14 h à 16 h, jusqu'au 5 décembre 2026",
        ),
        (TUESDAY, "FREQ=DAILY;INTERVAL=3", "tous les 3 jours de 14 h à 16 h"),
        (TUESDAY, "FREQ=YEARLY", "chaque année, le 1er décembre de 14 h à 16 h"),
        (TUESDAY, "FREQ=MONTHLY;BYWEEKNO=3", "à dates régulières"),
        (TUESDAY, "", "une seule date"),
        # Over two days: no hours in the phrase (the card gives the dates).
        ((TUESDAY[0], paris(2026, 12, 2, 12, 0)), "FREQ=WEEKLY", "tous les mardis"),
    ],
)
def test_recurrence_said_in_french(db, when, rule, expected):
    # db: a page's constructor reads its content type.
    start, end = when
    event = EventPage(start=start, end=end, recurrence_rule=rule)
    event.extra_dates = []  # no date added by hand
    assert describe_recurrence(event).replace("\xa0", " ") == expected


def test_one_off_event_with_added_dates(db):
    event = EventPage(start=TUESDAY[0], end=TUESDAY[1], recurrence_rule="")
    event.extra_dates = [EventExtraDate(start=paris(2026, 12, 8, 14, 0))]
    assert describe_recurrence(event) == "à plusieurs dates"


# --- the agenda, par événement and par date ----------------------------------


@pytest.fixture
def programme(agenda):
    """A weekly permanence, the monthly petit déj' (its next date cancelled,
    registration open), a one-off conference; titles as editors type them."""
    permanence_type = EventTypeFactory(
        slug="assistance-informatique", name="Assistance informatique"
    )
    petit_dej_type = EventTypeFactory(slug="petit-dej", name="Petit déj' du libre")
    conference_type = EventTypeFactory(slug="conference", name="Conférence")
    clx = Partner.objects.get(slug="clx")
    return {
        "permanence": create_event(
            agenda,
            title="Assistance numérique à l'Espace Pilâtre",
            start=paris(2026, 12, 1, 14, 0),
            end=paris(2026, 12, 1, 16, 0),
            recurrence="weekly",
            event_type=permanence_type,
            audience="seniors",
        ),
        "petit_dej": create_event(
            agenda,
            title="Les petits déj' du libre",
            start=paris(2026, 12, 5, 9, 30),
            end=paris(2026, 12, 5, 12, 0),
            recurrence="monthly_weekday",
            capacity=20,
            cancellations=[(datetime.date(2026, 12, 5), "Médiathèque fermée")],
            event_type=petit_dej_type,
            partners=[clx],
        ),
        "conference": create_event(
            agenda,
            title="Conférence « vie privée » : œuvres et données",
            start=paris(2026, 12, 10, 18, 30),
            end=paris(2026, 12, 10, 20, 0),
            event_type=conference_type,
        ),
    }


def test_agenda_shows_one_card_per_event_by_default(client, programme, frozen):
    html = text(client.get("/agenda/"))
    listed = results(html)
    assert cards(listed) == [
        "Assistance numérique à l&#x27;Espace Pilâtre",
        "Les petits déj&#x27; du libre",
        "Conférence « vie privée » : œuvres et données",
    ]
    assert "3 événements à venir" in listed
    # One card each, a list of articles with headings.
    assert listed.count("<article") == 3
    assert "Tous les mardis de 14 h à 16 h" in listed
    assert "Prochaine date : <time" in listed
    assert "mardi 1 décembre 2026</time>, de 14 h 00 à 16 h 00" in listed
    assert "mardi 8 décembre 2026" not in listed
    # The cancelled next date said plainly, then the one after.
    assert "Le premier samedi du mois de 9 h 30 à 12 h" in listed
    assert "La séance du 5 décembre est annulée." in listed
    assert "Médiathèque fermée" in listed
    assert "Date suivante : <time" in listed
    assert "samedi 2 janvier 2027" in listed
    assert "Une seule date" in listed
    # Places where registration is open, and only there.
    assert listed.count("Places disponibles") == 1
    # The toggle says which view is shown.
    assert '<a href="/agenda/?vue=dates">Par date</a>' in html
    assert 'aria-current="true">Par événement</a>' in html


def test_agenda_par_date_keeps_every_date(client, programme, frozen):
    html = text(client.get("/agenda/?vue=dates"))
    listed = results(html)
    assert cards(listed)[:4] == [
        "Assistance numérique à l&#x27;Espace Pilâtre",
        "Les petits déj&#x27; du libre",
        "Assistance numérique à l&#x27;Espace Pilâtre",
        "Conférence « vie privée » : œuvres et données",
    ]
    assert "dates" in listed and "événements à venir" not in listed
    assert 'aria-current="true">Par date</a>' in html
    assert '<a href="/agenda/">Par événement</a>' in html
    # Filtering keeps the view (hidden field), the feeds keep the filters.
    assert '<input type="hidden" name="vue" value="dates">' in html
    filtered = text(client.get("/agenda/?vue=dates&type=conference"))
    assert cards(results(filtered)) == ["Conférence « vie privée » : œuvres et données"]
    assert "/agenda/agenda.ics?type=conference" in filtered


def test_filters_and_pages_in_the_grouped_view(client, programme, agenda, frozen):
    filtered = text(client.get("/agenda/?type=assistance-informatique"))
    assert cards(results(filtered)) == ["Assistance numérique à l&#x27;Espace Pilâtre"]
    assert "1 événement à venir" in filtered
    assert "/agenda/rss/?type=assistance-informatique" in filtered
    assert cards(results(text(client.get("/agenda/?partenaire=clx")))) == [
        "Les petits déj&#x27; du libre"
    ]
    for i in range(12):
        create_event(agenda, title=f"Atelier n° {i}", start=paris(2027, 1, 10 + i, 14))
    first = text(client.get("/agenda/"))
    assert len(cards(results(first))) == 12
    assert "15 événements à venir" in first
    assert "Page 1 sur 2" in first
    second = text(client.get("/agenda/?page=2"))
    assert cards(results(second)) == [f"Atelier n° {i}" for i in range(9, 12)]
    # The archive and a day's list are unchanged: dates, no toggle.
    past = text(client.get("/agenda/?periode=passes"))
    assert "Par événement" not in past
    day = text(client.get("/agenda/?jour=2026-12-01"))
    assert "Par événement" not in day and "1 date" in day


def test_full_next_date_says_complet(client, programme, frozen):
    event = programme["petit_dej"]
    # The next held date is 2 January 2027: its 20 seats are taken.
    start = paris(2027, 1, 2, 9, 30)
    RegistrationListFactory(event=event, occurrence_start=start)
    RegistrationFactory(event=event, occurrence_start=start, seats=20)
    listed = results(text(client.get("/agenda/")))
    assert "Complet" in listed
    assert "Places disponibles" not in listed


def test_every_coming_date_cancelled(client, agenda, frozen):
    create_event(
        agenda,
        title="Atelier d'écriture numérique",
        start=paris(2026, 12, 12, 14, 0),
        cancellations=[(datetime.date(2026, 12, 12), "Intervenante malade")],
    )
    listed = results(text(client.get("/agenda/")))
    assert "La séance du 12 décembre est annulée." in listed
    assert "Aucune autre date n'est prévue pour le moment." in listed


# --- the home page -----------------------------------------------------------


def home_cards(html):
    section = html[html.index('id="home-events-title"') : html.index("Tout l'agenda")]
    return cards(section)


def test_home_shows_varied_events_and_the_featured_one(client, agenda, frozen):
    weekly = EventTypeFactory(slug="assistance", name="Assistance")
    workshop = EventTypeFactory(slug="atelier", name="Atelier")
    create_event(
        agenda,
        title="Assistance du mardi",
        start=paris(2026, 12, 1, 14),
        recurrence="weekly",
        event_type=weekly,
    )
    create_event(
        agenda,
        title="Assistance du jeudi",
        start=paris(2026, 12, 3, 14),
        recurrence="weekly",
        event_type=weekly,
    )
    create_event(
        agenda,
        title="Atelier « tablette »",
        start=paris(2026, 12, 4, 14),
        event_type=workshop,
    )
    create_event(
        agenda,
        title="Initiation à l'œil du photographe",
        start=paris(2026, 12, 20, 14),
        capacity=8,
    )
    far = create_event(
        agenda, title="Les petits déj' du libre", start=paris(2027, 3, 6, 9, 30)
    )
    html = text(client.get("/"))
    # One card per event: the soonest, the one with places, one per type
    # while types remain, then the soonest — in date order.
    assert home_cards(html) == [
        "Assistance du mardi",
        "Assistance du jeudi",
        "Atelier « tablette »",
        "Initiation à l&#x27;œil du photographe",
    ]
    far.featured_on_home = True
    far.save_revision().publish()
    html = text(client.get("/"))
    shown = home_cards(html)
    assert shown[-1] == "Les petits déj&#x27; du libre"
    assert "Initiation à l&#x27;œil du photographe" in shown  # it has places
    assert len(shown) == 4 and "Assistance du jeudi" not in shown


def test_home_links_the_next_permanence_with_its_free_slots(client, home_page, frozen):
    event = appointment_event(home_page, title="Assistance informatique « pas à pas »")
    html = text(client.get("/"))
    section = html[html.index('id="home-permanence-title"') :]
    section = section[: section.index("</section>")]
    assert "Prochaine permanence d'assistance" in html
    assert "mardi 1 décembre 2026</time>, de 14 h 00 à 16 h 00" in section
    # Two places for each of four 30-minute slots: four free slots.
    assert "4 créneaux libres" in section
    assert ">14 h 00</a>, <a" in section
    link = re.search(r'<a class="button" href="([^"]+)">Prendre rendez-vous', section)
    assert link.group(1) == f"/agenda/{event.slug}/rendez-vous/"
    booking = text(client.get(link.group(1)))
    assert (
        "<h1>Prendre rendez-vous : Assistance informatique « pas à pas »</h1>"
        in booking
    )


def test_demo_home_shows_at_least_three_events(client, demo_data):
    html = text(client.get("/"))
    shown = home_cards(html)
    assert len(set(shown)) >= 3, shown
    assert "Les petits dej&#x27; du libre" in shown
    assert "Prochaine permanence d'assistance" in html


# --- cost: the same queries with 10 or 200 events ---------------------------


def test_grouped_agenda_and_home_queries_do_not_grow(
    client, agenda, frozen, django_assert_max_num_queries
):
    def add(count, offset):
        for i in range(offset, offset + count):
            day = datetime.date(2026, 12, 1) + datetime.timedelta(days=i % 200)
            create_event(
                agenda,
                title=f"Événement n° {i}",
                slug=f"evenement-{i}",
                start=paris(day.year, day.month, day.day, 14, 0),
                recurrence="weekly" if i % 3 == 0 else "",
                capacity=10 if i % 4 == 0 else None,
                cancellations=[(day, "Annulé")] if i % 7 == 0 else (),
                publish=False,
            )

    def counts():
        found = {}
        for url in ("/agenda/", "/agenda/?type=inconnu&page=2", "/"):
            client.get(url)  # warm per-process caches
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found[url] = len(queries)
        return found

    add(10, 0)
    small = counts()
    add(190, 10)
    large = counts()
    assert large == small
    with django_assert_max_num_queries(small["/agenda/"]):
        html = text(client.get("/agenda/"))
    assert len(cards(results(html))) == 12
