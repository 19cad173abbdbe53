"""Finding events: /agenda/ (upcoming dates in order, filters as plain GET
parameters, 12 a page, past archive), the month grid, the event page, the
home page's one card per event, the admin's checks and the query budgets with
500 events stored; and at any size: the archive paged without counting all
history, a busy day of the grid linking to that day's list (?jour=), the
feed's window read from the calendar entries."""

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from events.models import EventCalendarEntry, EventPage, EventType
from home.models import Partner
from tests.factories.events import EventTypeFactory, create_event, paris

pytestmark = pytest.mark.django_db

NOW = paris(2026, 11, 27, 10)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def titles_in(html):
    return re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', html)


def test_agenda_lists_upcoming_dates_in_order(client, agenda, frozen):
    create_event(agenda, title="Plus tard", start=paris(2026, 12, 19, 14, 0))
    create_event(
        agenda,
        title="Petit déj",
        start=paris(2026, 12, 5),
        recurrence="monthly_weekday",
    )
    create_event(agenda, title="Passé", start=paris(2026, 10, 1, 14, 0))
    # « Par date » lists every date; the default view is one card per event
    # (tests/events/programme/test_agenda_groups.py).
    html = client.get("/agenda/?vue=dates").content.decode().replace("\xa0", " ")
    assert titles_in(html)[:4] == ["Petit déj", "Plus tard", "Petit déj", "Petit déj"]
    assert "Passé" not in html
    assert "samedi 5 décembre 2026</time>, de 9 h 30 à 12 h 00" in html


def test_filters_work_as_plain_get_parameters(client, agenda, frozen):
    install = EventTypeFactory(slug="install-party", name="Install party")
    clx = Partner.objects.get(slug="clx")
    create_event(agenda, title="Install", event_type=install, partners=[clx])
    create_event(agenda, title="Pour seniors", audience="seniors")
    create_event(agenda, title="Tout public")

    def shown(query):
        return set(titles_in(client.get("/agenda/" + query).content.decode()))

    assert shown("") == {"Install", "Pour seniors", "Tout public"}
    assert shown("?type=install-party") == {"Install"}
    assert shown("?public=seniors") == {"Pour seniors"}
    assert shown("?partenaire=clx") == {"Install"}
    assert shown("?partenaire=clx&public=seniors") == set()
    # Unknown values are ignored rather than failing.
    assert shown("?type=inconnu&public=%3Cscript%3E") == shown("")
    html = client.get("/agenda/?type=install-party").content.decode()
    assert '<option value="install-party" selected>' in html
    assert "Effacer les filtres" in html


def test_twelve_dates_a_page(client, agenda, frozen):
    weekly_coming(agenda, 30)
    first = client.get("/agenda/?vue=dates").content.decode()
    assert len(titles_in(first)) == 12
    assert "Page 1 sur 3" in first
    assert 'href="?vue=dates&amp;page=2"' in first
    third = client.get("/agenda/?vue=dates&page=3").content.decode()
    assert len(titles_in(third)) == 6
    # A page number out of range or not a number still answers.
    assert client.get("/agenda/?page=99").status_code == 200
    assert client.get("/agenda/?page=abc").status_code == 200


def test_past_events_archive(client, agenda, frozen):
    create_event(agenda, title="Il y a un mois", start=paris(2026, 10, 24, 14, 0))
    create_event(agenda, title="Il y a une semaine", start=paris(2026, 11, 20, 14, 0))
    create_event(agenda, title="À venir", start=paris(2026, 12, 20, 14, 0))
    html = client.get("/agenda/?periode=passes").content.decode()
    assert titles_in(html) == ["Il y a une semaine", "Il y a un mois"]
    assert "<h1>Rendez-vous passés</h1>" in html


def test_month_grid_is_an_accessible_table(client, agenda, frozen):
    create_event(
        agenda,
        title="Petit déj",
        start=paris(2026, 12, 5),
        recurrence="monthly_weekday",
        cancellations=[(datetime.date(2027, 1, 2), "Fermeture")],
    )
    response = client.get("/agenda/calendrier/2026/12/")
    assert response.status_code == 200
    html = response.content.decode().replace("\xa0", " ")
    assert "<caption>Décembre 2026 : 1 rendez-vous</caption>" in html
    assert '<th scope="col">Lundi</th>' in html
    assert 'href="/agenda/calendrier/2026/11/" rel="prev"' in html
    assert 'href="/agenda/calendrier/2027/1/" rel="next"' in html
    assert "9 h 30</span> Petit déj" in html
    january = client.get("/agenda/calendrier/2027/1/").content.decode()
    assert "annulé" in january


@pytest.mark.parametrize(
    "url",
    [
        "/agenda/calendrier/2026/13/",
        "/agenda/calendrier/2026/0/",
        "/agenda/calendrier/0/1/",
        "/agenda/calendrier/99999/1/",
        "/agenda/calendrier/2026/decembre/",
    ],
)
def test_bad_month_is_a_french_404(client, agenda, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_event_page_reads_clearly(client, agenda, frozen):
    from volunteers.models import Volunteer

    volunteer = Volunteer.objects.create(display_name="Camille L.")
    create_event(
        agenda,
        title="Les petits dej' du libre",
        slug="petits-dej",
        start=paris(2026, 12, 5),
        recurrence="monthly_weekday",
        facilitators=[volunteer],
        partners=list(Partner.objects.all()),
        access_motor=True,
        accessibility_notes="Grands écrans disponibles.",
    )
    html = client.get("/agenda/petits-dej/").content.decode().replace("\xa0", " ")
    assert "Le premier samedi de chaque mois, de 9 h 30 à 12 h 00." in html
    assert "samedi 5 décembre 2026</time>, de 9 h 30 à 12 h 00" in html
    assert "Gratuit" in html
    assert "Accès de plain-pied" in html
    assert "Boucle magnétique" in html
    assert "handicap moteur" in html
    assert "Grands écrans disponibles." in html
    assert "Camille L." in html
    assert "CLX – Club Linux" in html


def test_home_shows_a_weekly_event_once_with_its_next_date(client, agenda, frozen):
    # The home page shows one card per event (events.programme.groups): a
    # weekly permanence once, with how it recurs, not three times.
    create_event(
        agenda,
        title="Chaque mardi",
        start=paris(2026, 12, 1, 14, 0),
        end=paris(2026, 12, 1, 16, 0),
        recurrence="weekly",
    )
    html = client.get("/").content.decode().replace("\xa0", " ")
    section = html[html.index('id="home-events-title"') : html.index("Tout l'agenda")]
    assert section.count('class="card event-card') == 1
    assert "Tous les mardis de 14 h à 16 h" in section
    assert "mardi 1 décembre 2026" in section
    assert "mardi 8 décembre 2026" not in section


def _event_form(agenda, **overrides):
    data = {
        "title": "Atelier",
        "slug": "atelier",
        "summary": "Un atelier.",
        "start": "05/12/2026 09:30",
        "end": "05/12/2026 12:00",
        "recurrence": "",
        "recurrence_rule": "",
        "audience": "tout-public",
        "attendance_mode": "offline",
        "is_free": "on",
        "max_seats_per_registration": "4",
        "appointment_slot_minutes": "30",
        "appointment_places": "1",
        "event_type": str(EventTypeFactory().pk),
        "tags": "",
        "body": streamfield([]),
        "cancellations": inline_formset([]),
        "extra_dates": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end": "05/12/2026 09:00"}, "La fin doit être après le début."),
        (
            {"recurrence": "custom", "recurrence_rule": "FREQ=SOUVENT"},
            "La règle doit commencer par une fréquence",
        ),
        (
            {"recurrence": "custom", "recurrence_rule": "FREQ=WEEKLY;BYDAY=XX"},
            "Règle de récurrence invalide",
        ),
    ],
)
def test_admin_refuses_bad_dates_and_rules_in_french(
    client, agenda, django_user_model, overrides, message
):
    admin = django_user_model.objects.create_superuser(
        "chef", "chef@exemple.invalid", "motdepasse-de-test"
    )
    client.force_login(admin)
    url = f"/admin/pages/add/events/eventpage/{agenda.pk}/"
    response = client.post(url, _event_form(agenda, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EventPage.objects.filter(slug="atelier").exists()


def test_admin_creates_a_monthly_event(client, agenda, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "chef", "chef@exemple.invalid", "motdepasse-de-test"
    )
    client.force_login(admin)
    url = f"/admin/pages/add/events/eventpage/{agenda.pk}/"
    response = client.post(
        url,
        _event_form(
            agenda,
            recurrence="monthly_weekday",
            recurrence_count="6",
            cancellations=inline_formset(
                [{"date": "2027-01-02", "reason": "Fermeture pour les fêtes"}]
            ),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = EventPage.objects.get(slug="atelier")
    assert event.recurrence_rule == "FREQ=MONTHLY;BYDAY=+1SA;COUNT=6"
    assert event.cancellations.get().reason == "Fermeture pour les fêtes"


def test_snippets_for_venues_and_event_types(client, agenda, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "chef", "chef@exemple.invalid", "motdepasse-de-test"
    )
    client.force_login(admin)
    EventTypeFactory(slug="install-party", name="Install party")
    assert (
        "Install party"
        in client.get("/admin/snippets/events/eventtype/").content.decode()
    )
    response = client.post(
        "/admin/snippets/events/eventtype/add/",
        {"name": "Repair café", "slug": "repair-cafe", "sort_order": "9"},
    )
    assert response.status_code == 302
    assert EventType.objects.filter(slug="repair-cafe").exists()
    assert client.get("/admin/snippets/events/venue/").status_code == 200


def test_demo_data_has_the_monthly_petit_dej(client, demo_data):
    event = EventPage.objects.get(slug="petits-dej-du-libre")
    assert event.recurrence_rule == "FREQ=MONTHLY;BYDAY=+1SA"
    assert event.capacity == 20
    assert event.is_free
    assert event.venue.postal_code == "62126"
    assert event.cancellations.count() == 1
    assert event.live
    assert EventPage.objects.live().count() >= 4
    call_command("load_demo_data", verbosity=0)
    assert EventPage.objects.filter(slug="petits-dej-du-libre").count() == 1


# --- query budgets with 500 events ----------------------------------------


@pytest.fixture
def many_events(agenda):
    """500 events: a fifth recurring, some with cancellations and extras."""
    partners = list(Partner.objects.all())
    types = [EventTypeFactory(slug=f"type-{i}", name=f"Type {i}") for i in range(5)]
    for i in range(500):
        day = datetime.date(2026, 12, 1) + datetime.timedelta(days=i % 300)
        fields = {}
        if i % 5 == 0:
            fields = {"recurrence": "monthly_weekday"}
        create_event(
            agenda,
            title=f"Événement {i}",
            slug=f"evenement-{i}",
            start=paris(day.year, day.month, day.day, 14, 0),
            event_type=types[i % 5],
            partners=[partners[i % 2]],
            tags=["libre"] if i % 7 == 0 else (),
            cancellations=[(day, "Annulé")] if i % 11 == 0 else (),
            extra_dates=[paris(2027, 6, 1, 10, 0)] if i % 13 == 0 else (),
            publish=False,
            **fields,
        )
    return agenda


BUDGET_URLS = [
    "/agenda/",
    "/agenda/?page=3&type=type-1&partenaire=clx",
    "/agenda/?periode=passes",
    "/agenda/calendrier/2026/12/",
    "/agenda/evenement-5/",
    "/agenda/evenement-5/evenement.ics",
    "/agenda/agenda.ics",
    "/agenda/rss/",
]


def test_query_budget_with_500_events(client, many_events, frozen):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cold, warm = {}, {}
    for url in BUDGET_URLS:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        cold[url] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        warm[url] = len(queries)
    print("queries (cold, warm):", {url: (cold[url], warm[url]) for url in cold})
    # Warm: no agenda cache any more (the dates are stored and read with
    # LIMIT queries); what Wagtail caches itself is the difference with cold.
    # The site's shell (routing, menu, footer, registration block) plus the
    # page's own few queries — within a budget of 16 (a page is routed in
    # two queries: portal.routing).
    assert max(warm.values()) <= 16, warm
    # Cold (empty cache, Wagtail's own caches included): the agenda is read in
    # a fixed number of queries — one for the events, one per relation —
    # never one per event.
    assert max(cold.values()) <= 28, cold
    html = client.get("/agenda/").content.decode()
    assert len(titles_in(html)) == 12


def test_cached_agenda_follows_edits(client, agenda, frozen):
    event = create_event(agenda, title="Avant", slug="edition")
    assert "Avant" in client.get("/agenda/").content.decode()
    event.title = "Après"
    event.save_revision().publish()
    html = client.get("/agenda/").content.decode()
    assert "Après" in html and "Avant" not in html
    event.unpublish()
    assert "Après" not in client.get("/agenda/").content.decode()
    assert client.get("/agenda/edition/").status_code == 404


# --- At any size: the archive, a busy day, the feed's window -----------------


def text(response):
    return response.content.decode().replace("\xa0", " ")


def weekly_past(agenda, count):
    """One weekly event whose ``count`` dates are all over by NOW."""
    return create_event(
        agenda,
        title="Chaque mardi",
        start=paris(2025, 1, 7, 14, 0),
        recurrence="weekly",
        recurrence_count=count,
    )


def weekly_coming(agenda, count, title="Chaque mardi"):
    """One weekly event whose ``count`` dates are all to come after NOW."""
    return create_event(
        agenda,
        title=title,
        start=paris(2026, 12, 1, 14, 0),
        recurrence="weekly",
        recurrence_count=count,
    )


# The archive (years of history) and « par date » (every coming date of
# every event): each counted only a few pages ahead.
LONG_LISTS = [
    pytest.param(
        "periode=passes",
        weekly_past,
        "des plus récentes aux plus anciennes",
        id="archive",
    ),
    pytest.param(
        "vue=dates",
        lambda agenda, count: weekly_coming(
            agenda, count, title="L'atelier « réparer son vélo »"
        ),
        "des plus proches aux plus lointaines",
        id="par-date",
    ),
]


@pytest.mark.parametrize(("query", "make_dates", "order"), LONG_LISTS)
def test_long_lists_page_without_counting_every_date(
    client, agenda, frozen, query, make_dates, order
):
    make_dates(agenda, 60)  # 5 pages of 12
    with CaptureQueriesContext(connection) as queries:
        first = text(client.get(f"/agenda/?{query}"))
    # COUNT over a LIMITed sub-query: 4 pages of 12, plus one.
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 49" in sql for sql in counts), counts
    assert len(titles_in(first)) == 12
    # Page 1 counts up to page 4 (3 pages ahead): the total is not known.
    assert "Page 1</span>" in first
    assert "Page 1 sur" not in first
    assert f"Dates 1 à 12, {order}" in first
    assert f'href="?{query}&amp;page=2" rel="next"' in first
    # Near the end the count is exact again.
    third = text(client.get(f"/agenda/?{query}&page=3"))
    assert "Page 3 sur 5" in third
    assert "60 dates" in third
    last = text(client.get(f"/agenda/?{query}&page=5"))
    assert len(titles_in(last)) == 12
    assert 'rel="next"' not in last
    # Past the end, or not a number, or absurdly deep: still a page.
    for page in ("99", "abc", "9" * 5000, "-3"):
        response = client.get(f"/agenda/?{query}", {"page": page})
        assert response.status_code == 200, page


def test_busy_day_of_the_month_grid_links_to_that_day(client, agenda, frozen):
    for hour in (9, 10, 11, 14, 16):
        create_event(
            agenda, title=f"Atelier de {hour} h", start=paris(2026, 12, 5, hour, 0)
        )
    create_event(agenda, title="Autre jour", start=paris(2026, 12, 12, 14, 0))
    html = text(client.get("/agenda/calendrier/2026/12/"))
    # The caption still counts every date of the month.
    assert "<caption>Décembre 2026 : 6 rendez-vous</caption>" in html
    assert "9 h 00</span> Atelier de 9 h" in html
    assert "10 h 00</span> Atelier de 10 h" in html
    assert "Atelier de 11 h" not in html
    assert (
        '<a href="/agenda/?jour=2026-12-05">+ 3 autres rendez-vous'
        '<span class="visually-hidden"> le samedi 5 décembre</span></a>'
    ) in html
    assert "Autre jour" in html

    day = text(client.get("/agenda/?jour=2026-12-05"))
    assert "<h1>Rendez-vous du samedi 5 décembre 2026</h1>" in day
    assert titles_in(day) == [f"Atelier de {h} h" for h in (9, 10, 11, 14, 16)]
    assert "5 dates" in day
    assert 'href="/agenda/calendrier/2026/12/"' in day
    # The filters keep the day.
    assert '<input type="hidden" name="jour" value="2026-12-05">' in day


def test_day_of_the_past_and_an_empty_day(client, agenda, frozen):
    create_event(agenda, title="Il y a une semaine", start=paris(2026, 11, 20, 14, 0))
    past = text(client.get("/agenda/?jour=2026-11-20"))
    assert titles_in(past) == ["Il y a une semaine"]
    empty = text(client.get("/agenda/?jour=2026-11-21"))
    assert titles_in(empty) == []
    assert "Aucun rendez-vous ce jour-là." in empty


@pytest.mark.parametrize(
    "value",
    ["2026-13-01", "0001-01-01", "9999-12-31", "demain", "2026-12-5", "x" * 5000],
)
def test_a_bad_day_is_dropped_like_an_unknown_filter(client, agenda, frozen, value):
    create_event(agenda, title="Bientôt", start=paris(2026, 12, 20, 14, 0))
    response = client.get("/agenda/", {"jour": value})
    assert response.status_code == 200
    assert titles_in(text(response)) == ["Bientôt"]


def ics_titles(client):
    calendar = Calendar.from_ical(client.get("/agenda/agenda.ics").content)
    return sorted({str(v["SUMMARY"]) for v in calendar.walk("VEVENT")})


def test_agenda_ics_holds_the_events_of_its_window(client, agenda, frozen):
    create_event(agenda, title="Il y a un an", start=paris(2025, 11, 20, 14, 0))
    create_event(agenda, title="Il y a deux mois", start=paris(2026, 9, 25, 14, 0))
    # Began long ago, still has dates within the window.
    create_event(
        agenda,
        title="Chaque mois depuis un an",
        start=paris(2025, 12, 6, 9, 30),
        recurrence="monthly_weekday",
    )
    create_event(agenda, title="Bientôt", start=paris(2026, 12, 20, 14, 0))
    assert ics_titles(client) == [
        "Bientôt",
        "Chaque mois depuis un an",
        "Il y a deux mois",
    ]


def test_missing_calendar_entries_are_written_after_migrate(client, agenda, frozen):
    create_event(agenda, title="Bientôt", start=paris(2026, 12, 20, 14, 0))
    # As stored before calendar entries existed.
    EventCalendarEntry.objects.all().delete()
    assert ics_titles(client) == []
    call_command("migrate", verbosity=0)
    assert ics_titles(client) == ["Bientôt"]


def organisers(html):
    """The « Organisé par » of an event page."""
    return re.search(r"<dt>Organisé par</dt>\s*<dd>(.*?)</dd>", html).group(1)


def test_event_page_names_stored_partners_and_themes_and_previews_the_edits(
    client, agenda, frozen, django_user_model
):
    # The public page reads partners and themes in queries of their own
    # (EventPage.shown_partners, shown_tags); a preview shows what the
    # editor has just chosen, not what is stored.
    partners = {p.slug: p for p in Partner.objects.all()}
    clx = partners.pop("clx")
    mediatheque = next(iter(partners.values()))
    event = create_event(
        agenda,
        title="Atelier « vie privée » à l'école",
        slug="atelier-vie-privee",
        start=paris(2026, 12, 12, 14),
        partners=[clx],
        tags=["données personnelles", "sécurité"],
    )
    html = client.get(event.url).content.decode()
    assert organisers(html) == clx.name
    assert '<span class="tag">données personnelles</span>' in html
    assert '<span class="tag">sécurité</span>' in html
    assert f'"organizer": {{"@type": "Organization", "name": "{clx.name}"' in html

    admin = django_user_model.objects.create_superuser(
        "chef", "chef@exemple.invalid", "motdepasse-de-test"
    )
    client.force_login(admin)
    data = _event_form(
        agenda,
        title=event.title,
        slug=event.slug,
        start="12/12/2026 14:00",
        end="12/12/2026 16:00",
        tags="émancipation",
    )
    data["partners"] = [str(mediatheque.pk)]
    url = f"/admin/pages/{event.pk}/edit/preview/"
    assert client.post(url, data).json()["is_valid"] is True
    preview = client.get(url).content.decode()
    assert organisers(preview) == mediatheque.name
    assert '<span class="tag">émancipation</span>' in preview
    assert "sécurité" not in preview
    client.logout()
    public = client.get(event.url).content.decode()
    assert organisers(public) == clx.name and "sécurité" in public
    assert "émancipation" not in public
