"""What every page reads about the site (the `Site`, whether any page is
restricted, the menu's pages, the footer) is kept per process under the page
cache's site generation (portal/routing.py `site_memo`): read once, and read
again in every process as soon as a purge says it changed."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from events.models import EventIndexPage
from home.models import HomePage, StandardPage
from portal import pagecache
from tests.factories.events import create_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(home_page):
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(3)
    return create_event(EventIndexPage.objects.get(), title="Atelier vélo", start=start)


def _tables_read(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return " ".join(query["sql"] for query in queries)


def test_the_site_the_menu_and_the_footer_are_read_once(
    client, home_page, site_memo_cache
):
    first = _tables_read(client, "/a-propos/")
    assert '"wagtailcore_site"' in first
    assert '"home_partner"' in first
    again = _tables_read(client, "/a-propos/")
    for table in (
        "wagtailcore_site",
        "wagtailcore_pageviewrestriction",
        "home_partner",
    ):
        assert f'"{table}"' not in again, table
    # The page's own « site info » blocks read the same settings as the
    # footer, kept with them.
    assert 'FROM "home_portalsettings"' in first
    assert 'FROM "home_portalsettings"' not in again


def test_settings_saved_show_at_once_on_the_legal_pages(
    client, home_page, site_memo_cache
):
    from home.models import PortalSettings

    assert (
        "Hébergeur Exemple SAS" not in client.get("/mentions-legales/").content.decode()
    )
    site_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.host_name = "Hébergeur Exemple SAS"
    site_settings.footer_text = "L'atelier « libre » de Wimille"
    site_settings.save()
    html = unescape(client.get("/mentions-legales/").content.decode())
    assert "Hébergeur Exemple SAS" in html
    assert "L'atelier « libre » de Wimille" in html


def test_without_a_site_memo_cache_nothing_is_kept(client, home_page, settings):
    # Local memory: another process's change could not be told.
    client.get("/a-propos/")
    assert '"wagtailcore_site"' in _tables_read(client, "/a-propos/")


def test_without_a_site_memo_the_settings_are_read_once_a_request(client, home_page):
    # The legal notice's « site info » blocks and the footer share one read.
    client.get("/mentions-legales/")
    sql = _tables_read(client, "/mentions-legales/")
    assert sql.count('FROM "home_portalsettings"') == 1


def test_a_view_restriction_applies_at_once(client, event, site_memo_cache):
    assert client.get(event.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=EventIndexPage.objects.get(),
        restriction_type=PageViewRestriction.LOGIN,
    )
    response = client.get(event.url)
    assert response.status_code == 302
    assert "/connexion/" in response["Location"] or "login" in response["Location"]
    restriction.delete()
    assert client.get(event.url).status_code == 200


def test_a_change_made_in_another_process_is_seen_after_its_purge(
    client, event, site_memo_cache
):
    assert client.get(event.url).status_code == 200
    assert "Nouvelle rubrique" not in client.get("/a-propos/").content.decode()
    # Another process saves (no signal here) and purges through the shared
    # cache, as its own signal handlers do.
    PageViewRestriction.objects.bulk_create(
        [
            PageViewRestriction(
                page=EventIndexPage.objects.get(),
                restriction_type=PageViewRestriction.LOGIN,
            )
        ]
    )
    HomePage.objects.get().add_child(
        instance=StandardPage(
            title="Nouvelle rubrique", slug="nouvelle", body=[], show_in_menus=True
        )
    )
    pagecache.purge()
    assert client.get(event.url).status_code == 302
    nav = client.get("/a-propos/").content.decode().split("site-nav", 1)[1]
    assert "Nouvelle rubrique" in nav.split("</nav>", 1)[0]


def test_a_registration_form_reads_only_its_event_dates_and_seats(
    client, home_page, site_memo_cache
):
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(3)
    event = create_event(
        EventIndexPage.objects.get(), title="Atelier vélo", start=start, capacity=5
    )
    page = client.get(event.url).content.decode()
    form_url = unescape(re.search(r'href="([^"]+/inscription/\?date=[^"]+)"', page)[1])
    client.get(form_url)
    tables = _tables_read(client, form_url)
    for table in ("wagtailcore_site", "wagtailcore_pageviewrestriction"):
        assert f'"{table}"' not in tables, table
    # The event itself is read (FROM events_eventpage), its ancestors (the
    # breadcrumbs) are kept.
    assert 'FROM "wagtailcore_page"' not in tables
    crumbs = client.get(form_url).content.decode().split("Fil d’Ariane", 1)[1]
    assert re.findall(r'href="([^"]+)"', crumbs.split("</nav>", 1)[0]) == [
        "/",
        "/agenda/",
        event.url,
    ]


def test_links_follow_a_new_site_root_at_once(client, home_page, site_memo_cache):
    # Pages' links read the site's root paths, kept with the Site per
    # process (Wagtail keeps them in the cache); a Site saved forgets them.
    assert client.get("/a-propos/").status_code == 200
    new_home = Page.objects.get(depth=1).add_child(
        instance=HomePage(title="Nouvel accueil", slug="nouvel-accueil")
    )
    new_home.add_child(
        instance=StandardPage(
            title="Rubrique à part", slug="a-part", body=[], show_in_menus=True
        )
    )
    site = Site.objects.get()
    site.root_page = new_home
    site.save()
    html = client.get("/a-part/").content.decode()
    nav = html.split("site-nav", 1)[1].split("</nav>", 1)[0]
    assert 'href="/a-part/"' in nav


def test_a_view_outside_the_page_tree_reads_the_site_once(
    client, event, site_memo_cache
):
    # The month grid is a Django view whose links go through {% pageurl %}:
    # the site found per process serves it too, not a query per visit.
    url = f"/agenda/calendrier/{event.start.year}/{event.start.month}/"
    assert '"wagtailcore_site"' in _tables_read(client, url)
    assert '"wagtailcore_site"' not in _tables_read(client, url)
