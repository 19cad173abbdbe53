"""The visitors' page cache: anonymous GET and HEAD answered from Django's
cache, purged whenever what pages show changes, and never holding anything
tied to one visitor (logged-in user, cookie, form, POST, private page,
preview)."""

import contextlib
import datetime
import re
import subprocess
import sys
from html import unescape

import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from events.models import EventIndexPage, Registration
from home.models import Partner, PortalSettings, StandardPage
from resources import awarding
from tests.factories.badges import award, create_badge_class
from tests.factories.events import VenueFactory, create_event
from tests.factories.guides import make_guide
from tests.registration_helpers import form_url, make_event, post_registration

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]

ABOUT = "/a-propos/"


@pytest.fixture
def page_cache(settings):
    settings.PORTAL_PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=["shared", "per-process"])
def hit_queries(request, settings, tmp_path):
    """What a hit costs the database: nothing with a cache every process
    shares (Redis in production, files here); one read of the generation
    with a cache in each process's memory (`make run`), which cannot hear
    another process's purge."""
    if request.param == "shared":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
        return 0
    return 1


@pytest.fixture
def about(home_page):
    return StandardPage.objects.get(slug="a-propos")


def warm(client, url):
    """Ask twice; the second answer must come from the cache, so that a
    purge test below cannot pass with a cache that keeps nothing."""
    client.get(url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit", url
    return response


def quietly_retitle(page, title):
    """Change the title in the database without any signal: only the cache
    can explain an old title still being served."""
    Page.objects.filter(pk=page.pk).update(title=title)
    StandardPage.objects.filter(pk=page.pk).update(title=title)


def test_a_second_anonymous_visit_is_served_from_the_cache(
    client, about, page_cache, hit_queries, django_assert_num_queries
):
    first = client.get(ABOUT)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    quietly_retitle(about, "Titre changé en douce")
    with django_assert_num_queries(hit_queries):
        second = client.get(ABOUT)
    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Titre changé en douce" not in second.content.decode()
    for header in ("Content-Type", "Cache-Control", "Content-Security-Policy"):
        assert second[header] == first[header]


def test_head_is_answered_from_the_get_entry(
    client, about, page_cache, hit_queries, django_assert_num_queries
):
    get = client.get(ABOUT)
    with django_assert_num_queries(hit_queries):
        head = client.head(ABOUT)
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == get["Content-Length"] == str(len(get.content))


def test_a_visitor_holding_this_version_gets_a_bare_304(client, about, page_cache):
    etag = warm(client, ABOUT)["ETag"]
    again = client.get(ABOUT, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    about.title = "À propos, nouvelle version"
    about.save_revision().publish()
    fresh = client.get(ABOUT, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag


def test_entries_expire_after_a_short_time(client, about, page_cache, settings):
    settings.PORTAL_PAGE_CACHE_TIMEOUT = 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(ABOUT)
        quietly_retitle(about, "Titre plus récent")
        clock.shift(datetime.timedelta(seconds=30))
        assert "Titre plus récent" not in client.get(ABOUT).content.decode()
        clock.shift(datetime.timedelta(seconds=31))
        assert "Titre plus récent" in client.get(ABOUT).content.decode()


def test_switched_off_nothing_is_kept(client, about, settings):
    settings.PORTAL_PAGE_CACHE = False
    cache.clear()
    client.get(ABOUT)
    quietly_retitle(about, "Titre changé en douce")
    response = client.get(ABOUT)
    assert "Titre changé en douce" in response.content.decode()
    assert "X-Page-Cache" not in response


def test_portal_page_cache_off_in_the_environment_switches_it_off():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
        "'portal.settings.dev'; django.setup(); from django.conf import settings;"
        " print(settings.PORTAL_PAGE_CACHE)"
    )
    for value, expected in (("off", "False"), ("", "True"), ("on", "True")):
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code],
            env={"PORTAL_PAGE_CACHE": value, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert result.stdout.strip() == expected, value


# -- Purges ---------------------------------------------------------------------


def test_publishing_a_page_purges(client, about, page_cache):
    warm(client, ABOUT)
    about.title = "À propos de l'atelier, revu"
    about.save_revision().publish()
    assert "À propos de l&#x27;atelier, revu" in client.get(ABOUT).content.decode()


def test_saving_a_draft_keeps_the_cache_and_shows_nothing_new(
    client, about, page_cache
):
    warm(client, ABOUT)
    about.title = "Brouillon pas encore publié"
    about.save_revision()
    response = client.get(ABOUT)
    assert response["X-Page-Cache"] == "hit"
    assert "Brouillon pas encore publié" not in response.content.decode()


def test_unpublishing_a_page_purges(client, about, page_cache):
    warm(client, ABOUT)
    about.unpublish()
    assert client.get(ABOUT).status_code == 404


def test_deleting_a_page_purges(client, about, page_cache):
    warm(client, ABOUT)
    about.delete()
    assert client.get(ABOUT).status_code == 404


@contextlib.contextmanager
def another_process(settings):
    """What another process does (`manage.py shell`, `restore`, a second
    worker of `make run`): same database, its own local-memory cache."""
    own = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "un-autre-processus",
        }
    }
    try:
        yield
    finally:
        settings.CACHES = own


def test_a_page_deleted_by_another_process_is_not_served(
    client, about, page_cache, settings
):
    warm(client, ABOUT)
    with another_process(settings):
        Page.objects.get(pk=about.pk).delete()
    assert client.get(ABOUT).status_code == 404


def test_an_event_deleted_elsewhere_leaves_the_agenda_and_its_page(
    client, home_page, page_cache, settings
):
    agenda = EventIndexPage.objects.get()
    start = timezone.now() + datetime.timedelta(days=5)
    event = create_event(agenda, title="Atelier « supprimé » bientôt", start=start)
    event_url = event.url
    assert "Atelier « supprimé » bientôt" in warm(client, "/agenda/").content.decode()
    warm(client, event_url)
    with another_process(settings):
        Page.objects.get(pk=event.pk).delete()
    assert "Atelier « supprimé » bientôt" not in client.get("/agenda/").content.decode()
    assert client.get(event_url).status_code == 404


def test_moving_a_page_purges(client, about, home_page, page_cache):
    legal = StandardPage.objects.get(slug="mentions-legales")
    warm(client, ABOUT)
    about.move(legal, pos="last-child")
    assert client.get(ABOUT).status_code != 200
    assert client.get("/mentions-legales/a-propos/").status_code == 200


def test_a_new_event_appears_on_the_agenda_at_once(client, home_page, page_cache):
    agenda = EventIndexPage.objects.get()
    warm(client, "/agenda/")
    start = timezone.now() + datetime.timedelta(days=5)
    create_event(agenda, title="Atelier tout neuf", start=start)
    assert "Atelier tout neuf" in client.get("/agenda/").content.decode()


def test_changing_a_snippet_purges(client, home_page, page_cache):
    warm(client, "/")
    partner = Partner.objects.get(slug="clx")
    partner.name = "Club Linux Nord–Pas-de-Calais, renommé"
    partner.save()
    assert "Club Linux Nord–Pas-de-Calais, renommé" in client.get("/").content.decode()


def test_changing_a_venue_purges_the_event_page(client, home_page, page_cache):
    start = timezone.now() + datetime.timedelta(days=5)
    event = create_event(EventIndexPage.objects.get(), start=start)
    warm(client, event.url)
    venue = VenueFactory()
    venue.address = "12 rue du Changement"
    venue.save()
    assert "12 rue du Changement" in client.get(event.url).content.decode()


def test_changing_a_site_setting_purges(client, home_page, page_cache):
    warm(client, ABOUT)
    site_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.footer_text = "Un pied de page tout neuf"
    site_settings.save()
    assert "Un pied de page tout neuf" in client.get(ABOUT).content.decode()


def test_a_registration_purges_the_seats_left(client, home_page, page_cache):
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(3)
    event = create_event(
        EventIndexPage.objects.get(),
        start=start,
        capacity=5,
        max_seats_per_registration=4,
    )
    page = warm(client, event.url).content.decode()
    assert "places disponibles" in page
    form_url = unescape(re.search(r'href="([^"]+/inscription/\?date=[^"]+)"', page)[1])
    form = client.get(form_url).content.decode()
    occurrence = re.search(r'name="occurrence" value="([^"]+)"', form)[1]
    response = client.post(
        form_url,
        {
            "occurrence": unescape(occurrence),
            "name": "Camille Martin",
            "email": "camille@exemple.fr",
            "phone": "",
            "seats": "4",
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code in (200, 302)
    assert Registration.objects.count() == 1
    client.cookies.clear()  # the form set the CSRF cookie: back to a plain visitor
    # 1 seat of 5 left: the public band moves from available to last seats.
    assert "dernières places" in client.get(event.url).content.decode()


@pytest.fixture
def shared_cache(settings, tmp_path):
    """A cache every process shares (Redis in production, files here): the
    one where a purge can be scoped to some pages."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    settings.PORTAL_PAGE_CACHE = True


def test_a_registration_purges_its_event_and_the_listings_not_the_whole_site(
    client, home_page, shared_cache, django_assert_num_queries
):
    event = make_event(home_page, capacity=5, title="Atelier vélo")
    guide = make_guide(title="Souder un câble")
    page = warm(client, event.url).content.decode()
    assert "places disponibles" in page
    assert "Places disponibles" in warm(client, "/agenda/").content.decode()
    assert "Places disponibles" in warm(client, "/").content.decode()
    warm(client, guide.url)
    warm(client, ABOUT)
    feeds = [reverse(name) for name in ("events:rss", "events:ics", "events:json")]
    for feed in feeds:
        assert "Atelier vélo" in warm(client, feed).content.decode()
    occurrence = event.occurrences(start=timezone.now())[0]
    post_registration(client, event, occurrence, seats="4")
    assert Registration.objects.filter(seats=4).count() == 1
    client.cookies.clear()  # the form set the CSRF cookie: back to a plain visitor
    # 1 seat of 5 left, at once on the event's page, its form and the listings.
    shown = client.get(event.url)
    assert shown["X-Page-Cache"] == "miss"
    assert "dernières places" in shown.content.decode()
    assert "Dernières places" in client.get("/agenda/").content.decode()
    assert "Dernières places" in client.get("/").content.decode()
    form = client.get(form_url(event, occurrence)).content.decode()
    assert "dernières places" in form.lower()
    client.cookies.clear()
    # Pages that show no seat (the feeds show dates only) are still served
    # from the cache, without the database.
    for url in (guide.url, ABOUT, *feeds):
        with django_assert_num_queries(0):
            kept = client.get(url)
        assert kept.status_code == 200
        assert kept["X-Page-Cache"] == "hit", url


def test_publishing_a_page_still_purges_every_scope(client, about, shared_cache):
    guide = make_guide(title="Souder un câble")
    warm(client, guide.url)
    warm(client, "/agenda/")
    about.title = "À propos, revu"
    about.save_revision().publish()
    for url in (guide.url, "/agenda/", ABOUT):
        assert client.get(url)["X-Page-Cache"] == "miss", url


def test_every_model_named_for_purges_exists():
    from django.conf import settings

    for label in settings.PORTAL_PAGE_CACHE_PURGE_MODELS:
        assert apps.get_model(label)


# -- Never cached -----------------------------------------------------------------


def test_a_logged_in_user_neither_reads_nor_fills_the_cache(
    client, about, page_cache, django_user_model
):
    client.get(ABOUT)  # an anonymous entry exists
    quietly_retitle(about, "Titre vu par l'équipe")
    editor = django_user_model.objects.create_superuser("edith", "e@exemple.fr", "x")
    client.force_login(editor)
    response = client.get(ABOUT)
    assert "Titre vu par l&#x27;équipe" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    # …and what the logged-in user saw (with the admin's user bar) is kept
    # from anonymous visitors.
    cache.clear()
    client.get(ABOUT)
    client.logout()
    client.cookies.clear()
    anonymous = client.get(ABOUT)
    assert anonymous["X-Page-Cache"] == "miss"
    assert "wagtail-userbar" not in anonymous.content.decode()


def test_a_visitor_with_a_session_cookie_is_not_served_from_the_cache(
    client, about, page_cache, settings
):
    client.get(ABOUT)
    quietly_retitle(about, "Titre frais")
    client.cookies[settings.SESSION_COOKIE_NAME] = "une-session-inconnue"
    assert "Titre frais" in client.get(ABOUT).content.decode()


def test_a_csrf_cookie_alone_still_gets_the_cached_page(
    client, about, page_cache, settings
):
    client.get(ABOUT)
    client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    assert client.get(ABOUT)["X-Page-Cache"] == "hit"


def test_a_form_page_that_sets_the_csrf_cookie_is_never_kept(
    client, home_page, page_cache
):
    start = timezone.now() + datetime.timedelta(days=3)
    event = create_event(EventIndexPage.objects.get(), start=start, capacity=5)
    form = event.url + "inscription/"
    first = client.get(form)
    assert first.status_code == 200
    assert "csrftoken" in first.cookies
    client.cookies.clear()
    second = client.get(form)
    assert second["X-Page-Cache"] == "miss"
    assert second.cookies["csrftoken"].value != first.cookies["csrftoken"].value


def test_a_post_is_never_answered_nor_kept(client, about, page_cache):
    client.post(ABOUT, {})
    quietly_retitle(about, "Titre après un POST")
    assert "Titre après un POST" in client.get(ABOUT).content.decode()
    post = client.post(ABOUT, {})
    assert "X-Page-Cache" not in post


def test_a_page_made_private_is_purged_and_never_kept(client, about, page_cache):
    assert client.get(ABOUT).status_code == 200
    PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = client.get(ABOUT)
    assert response.status_code == 200  # Wagtail's password form
    assert "private" in response["Cache-Control"]
    client.cookies.clear()
    assert client.get(ABOUT)["X-Page-Cache"] == "miss"


def test_a_preview_is_never_kept_nor_shown_to_visitors(
    client, about, page_cache, django_user_model
):
    client.get(ABOUT)
    editor = django_user_model.objects.create_superuser("edith", "e@exemple.fr", "x")
    client.force_login(editor)
    about.title = "Titre en aperçu"
    about.save_revision()
    preview = client.get(f"/admin/pages/{about.pk}/view_draft/")
    assert "Titre en aperçu" in preview.content.decode()
    assert "public" not in preview["Cache-Control"]
    client.logout()
    client.cookies.clear()
    assert "Titre en aperçu" not in client.get(ABOUT).content.decode()


def test_an_assertion_is_kept_apart_for_browsers_and_verifiers(
    client, home_page, page_cache
):
    awarded = award(create_badge_class())
    url = reverse("resources:assertion", args=[awarded.uid])
    for _ in range(2):
        page = client.get(url, HTTP_ACCEPT="text/html")
        document = client.get(url, HTTP_ACCEPT="application/ld+json")
    assert page["X-Page-Cache"] == document["X-Page-Cache"] == "hit"
    assert page["Content-Type"].startswith("text/html")
    assert document.json()["id"].endswith(awarded.uid)


def test_revoking_a_badge_reaches_verifiers_at_once(client, home_page, page_cache):
    awarded = award(create_badge_class())
    url = reverse("resources:assertion", args=[awarded.uid])
    client.get(url, HTTP_ACCEPT="application/ld+json")
    document = client.get(url, HTTP_ACCEPT="application/ld+json")
    assert document.status_code == 200
    assert document["X-Page-Cache"] == "hit"
    awarding.revoke(awarded, "Décerné par erreur")
    assert client.get(url, HTTP_ACCEPT="application/ld+json").status_code == 410


@pytest.mark.parametrize("url", ["/page-qui-n-existe-pas/", "/a-propos"])
def test_errors_and_redirects_are_not_kept(client, home_page, page_cache, url):
    first = client.get(url)
    assert first.status_code in (301, 404)
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_a_very_long_address_is_neither_read_nor_kept(client, about, page_cache):
    url = ABOUT + "?" + "x" * 2000
    assert client.get(url).status_code == 200
    assert "X-Page-Cache" not in client.get(url)


def test_each_search_is_answered_afresh(client, home_page, page_cache):
    client.get("/recherche/?q=libre")
    assert client.get("/recherche/?q=libre")["X-Page-Cache"] == "miss"
