"""Rendered fragments (portal/fragments.py): the parts of a page that are the
same for every visitor are rendered once per content generation, also for
the visitors the page cache does not serve (a cookie, a form), and are
never older than what the page cache itself would serve."""

import datetime
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Page

from events.models import EventIndexPage, EventPage, Registration
from resources.models import GuidePage
from tests.factories.events import create_event
from tests.factories.guides import make_guide
from tests.registration_helpers import post_registration

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def fragments(settings):
    settings.PORTAL_FRAGMENT_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def event(home_page):
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(3)
    return create_event(
        EventIndexPage.objects.get(),
        title="Atelier réparation",
        start=start,
        capacity=5,
        max_seats_per_registration=4,
    )


def visitor(client, settings):
    """A visitor with a session cookie: the page cache never serves them."""
    client.cookies[settings.SESSION_COOKIE_NAME] = "une-session-quelconque"
    return client


def quietly_retitle(page, title):
    """Change the title without any signal: only a kept fragment can explain
    the old title still being shown."""
    Page.objects.filter(pk=page.pk).update(title=title)
    EventPage.objects.filter(pk=page.pk).update(title=title)


def test_an_event_page_is_rendered_once_then_kept_until_something_changes(
    client, settings, event, fragments
):
    client = visitor(client, settings)
    assert "Atelier réparation" in client.get(event.url).content.decode()
    quietly_retitle(event, "Titre changé en douce")
    kept = client.get(event.url)
    assert kept.status_code == 200
    assert "Titre changé en douce" not in kept.content.decode()
    page = EventPage.objects.get(pk=event.pk)
    page.title = "Atelier réparation de vélos"
    page.save_revision().publish()
    assert "Atelier réparation de vélos" in client.get(event.url).content.decode()


def test_without_the_fragment_cache_every_render_reads_the_database(
    client, settings, event
):
    client.get(event.url)
    quietly_retitle(event, "Titre changé en douce")
    assert "Titre changé en douce" in client.get(event.url).content.decode()


def test_the_form_from_a_kept_fragment_carries_each_visitors_own_token(
    client, settings, event, fragments
):
    from django.test import Client

    page = client.get(event.url).content.decode()
    form_url = unescape(re.search(r'href="([^"]+/inscription/\?date=[^"]+)"', page)[1])
    first = client.get(form_url).content.decode()
    other = Client(enforce_csrf_checks=True)
    second = other.get(form_url).content.decode()
    first_token = CSRF_INPUT.search(first)[1]
    second_token = CSRF_INPUT.search(second)[1]
    assert first_token != second_token
    assert "portal-fragment-csrf" not in second
    occurrence = unescape(re.search(r'name="occurrence" value="([^"]+)"', second)[1])
    answer = {
        "occurrence": occurrence,
        "name": "Camille Martin",
        "email": "camille@exemple.fr",
        "phone": "",
        "seats": "4",
        "consent": "on",
        "website": "",
    }
    # A posted form with a mistake shows the mistake, not the kept blank form.
    wrong = other.post(
        form_url,
        {**answer, "email": "pas-une-adresse", "csrfmiddlewaretoken": second_token},
    )
    assert wrong.status_code == 400
    assert "pas-une-adresse" in wrong.content.decode()
    done = other.post(form_url, {**answer, "csrfmiddlewaretoken": second_token})
    assert done.status_code in (200, 302)
    assert Registration.objects.count() == 1


def test_a_registration_shows_at_once_to_a_visitor_with_a_cookie(
    client, settings, event, fragments
):
    client = visitor(client, settings)
    page = client.get(event.url).content.decode()
    assert "places disponibles" in page
    form_url = unescape(re.search(r'href="([^"]+/inscription/\?date=[^"]+)"', page)[1])
    form = client.get(form_url).content.decode()
    client.post(
        form_url,
        {
            "occurrence": unescape(
                re.search(r'name="occurrence" value="([^"]+)"', form)[1]
            ),
            "name": "Camille Martin",
            "email": "camille@exemple.fr",
            "phone": "",
            "seats": "4",
            "consent": "on",
            "website": "",
        },
    )
    assert Registration.objects.count() == 1
    # 1 seat of 5 left: the band moves from available to last seats.
    assert "dernières places" in client.get(event.url).content.decode()


def test_a_registration_leaves_the_fragments_of_pages_without_seats(
    client, settings, event, fragments, tmp_path
):
    """With a cache every process shares (Redis in production), a
    registration makes stale only its event's pages and the listings."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    guide = make_guide(title="Souder un câble")
    client = visitor(client, settings)
    assert "places disponibles" in client.get(event.url).content.decode()
    assert "Souder un câble" in client.get(guide.url).content.decode()
    Page.objects.filter(pk=guide.pk).update(title="Titre changé en douce")
    GuidePage.objects.filter(pk=guide.pk).update(title="Titre changé en douce")
    occurrence = event.occurrences(start=timezone.now())[0]
    post_registration(client, event, occurrence, seats="4")
    assert Registration.objects.filter(seats=4).count() == 1
    assert "dernières places" in client.get(event.url).content.decode()
    kept = client.get(guide.url).content.decode()
    assert "Souder un câble" in kept
    assert "Titre changé en douce" not in kept
