"""A title typed with accents in the admin, in a real browser: the slug is the
one Wagtail's own JavaScript makes from it (accents kept), and once the
event is published every page and feed that lists it links to an address
that opens. Screenshots go to tmp/screenshots/."""

import datetime
import json
import re
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from events.models import EventIndexPage, EventPage
from portal import roles
from tests.admin_forms import PASSWORD
from tests.browser_helpers import admin_login, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Conférence : sécurité numérique, les bons réflexes"


def _shot(page, name):
    folder = settings.BASE_DIR / "tmp" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"slugs-{name}.png"), full_page=True)


def _links(body, slug):
    """The addresses in a page or feed that name the event (unfolded first:
    iCalendar folds long lines)."""
    body = body.replace("\r\n ", "")
    found = re.findall(r"""(?:href=|"url":\s*|<link>|URL:)["']?([^"'<>\s]+)""", body)
    return {u for u in found if slug in unquote(u)}


def test_an_accented_title_typed_in_the_admin_publishes_a_page_that_every_feed_reaches(
    browser, portal_roles, event_type
):
    page, base = browser
    editor = portal_roles(roles.MEDIATHEQUE_EDITORS)
    agenda = EventIndexPage.objects.get()
    start = timezone.localtime() + datetime.timedelta(days=3)
    start = start.replace(hour=18, minute=0, second=0, microsecond=0)
    end = start + datetime.timedelta(hours=2)

    admin_login(page, base, editor.username, PASSWORD)
    page.goto(f"{base}/admin/pages/add/events/eventpage/{agenda.pk}/")
    page.locator("#id_title").press_sequentially(TITLE)
    page.locator("#id_title").blur()
    page.fill("#id_summary", "Mots de passe, mises à jour, arnaques : les gestes sûrs.")
    fill_date(page, "#id_start", start.strftime(settings.WAGTAIL_DATETIME_FORMAT))
    fill_date(page, "#id_end", end.strftime(settings.WAGTAIL_DATETIME_FORMAT))
    page.locator("#id_event_type-chooser [data-chooser-action-choose]").click()
    page.locator(
        ".modal-content [data-chooser-modal-choice]", has_text=event_type.name
    ).click()
    page.wait_for_selector("#id_event_type-chooser:not(.blank)", state="attached")
    page.click("[data-w-dropdown-target='toggle'] >> nth=-1")
    page.click("button[name=action-publish]")
    page.wait_for_url(f"{base}/admin/pages/{agenda.pk}/")
    _shot(page, "1-publie")

    event = EventPage.objects.get(title=TITLE)
    assert event.live
    # Wagtail's JavaScript made the slug from the title, accents kept.
    assert event.slug == "conférence-sécurité-numérique-les-bons-réflexes"
    slug = event.slug

    # A visitor: the page, then every list and feed that names it.
    page.context.clear_cookies()
    response = page.goto(f"{base}{event.url}")
    assert response.status == 200
    assert page.locator("h1").inner_text() == TITLE
    _shot(page, "2-page-publique")
    ics = page.locator("a[href$='evenement.ics']").first.get_attribute("href")
    assert page.request.get(base + ics).status == 200

    sources = [
        "/agenda/",
        f"/agenda/calendrier/{start.year}/{start.month}/",
        "/agenda/agenda.ics",
        "/agenda/rss/",
        "/agenda/agenda.json",
        "/agenda/widget/",
    ]
    for source in sources:
        answer = page.request.get(base + source)
        assert answer.status == 200, source
        links = _links(answer.text(), slug)
        if source.endswith(".json"):
            items = json.loads(answer.text())["items"]
            links |= {i["url"] for i in items if i["title"].startswith(TITLE)}
        assert links, source
        for link in links:
            if source in ("/agenda/", "/agenda/widget/") or "calendrier" in source:
                # Pages: click the link as a visitor does.
                page.goto(base + source)
                page.locator(f"a[href='{link}']").first.click()
                page.wait_for_load_state()
                assert page.locator("h1").inner_text() == TITLE, (source, link)
                assert unquote(urlsplit(page.url).path) == f"/agenda/{slug}/"
            else:
                # Feeds: what a feed reader or calendar app opens.
                opened = page.request.get(base + urlsplit(link).path)
                assert opened.status == 200, (source, link)
    _shot(page, "3-depuis-le-widget")
