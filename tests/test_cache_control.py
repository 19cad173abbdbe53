"""Cache-Control decided per response: what belongs to one visitor (a form
with its CSRF cookie, any cookie set, a logged-in user, a session read) is
`private, no-store`, so a shared cache in front never hands it to someone
else; other public pages are `public, s-maxage=…, stale-while-revalidate=…`."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import EventIndexPage
from tests.factories.badges import create_badge_class
from tests.factories.events import create_event

pytestmark = pytest.mark.django_db


def directives(response):
    return {d.strip() for d in response["Cache-Control"].split(",")}


def assert_private(response):
    assert directives(response) >= {"private", "no-store"}, response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "s-maxage" not in response["Cache-Control"]


def test_public_pages_may_be_kept_by_a_shared_cache(client, home_page, settings):
    settings.PUBLIC_CACHE_MAX_AGE = 300
    for url in ("/", "/a-propos/", "/agenda/", "/robots.txt"):
        response = client.get(url)
        assert not response.cookies, url
        assert directives(response) >= {
            "public",
            "s-maxage=300",
            "stale-while-revalidate=600",
        }, url


@pytest.fixture
def form_urls(home_page):
    start = timezone.now() + datetime.timedelta(days=3)
    event = create_event(EventIndexPage.objects.get(), start=start, capacity=5)
    badge = create_badge_class()
    return [
        event.url + "inscription/",
        reverse("resources:request_badge", args=[badge.slug]),
    ]


def test_a_page_with_a_form_and_its_csrf_cookie_is_private(client, form_urls):
    for url in form_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "csrftoken" in response.cookies, url
        assert_private(response)


def test_a_returning_visitor_with_a_csrf_cookie_still_gets_a_private_form(
    client, form_urls
):
    client.get("/")
    for url in form_urls:
        client.get(url)  # now the visitor holds a CSRF cookie
        assert_private(client.get(url))


def test_a_logged_in_user_gets_private_pages(client, home_page, django_user_model):
    user = django_user_model.objects.create_user("lea", "l@exemple.fr", "x")
    client.force_login(user)
    for url in ("/", "/a-propos/"):
        assert_private(client.get(url))


def test_a_page_read_with_a_session_is_private(client, home_page, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "une-session-quelconque"
    assert_private(client.get("/a-propos/"))


def test_the_admin_is_private(client, home_page):
    response = client.get("/admin/login/")
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_post_is_private(client, home_page):
    response = client.post("/a-propos/", {})
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_badge_documents_keep_their_own_short_lifetime(client, home_page):
    badge = create_badge_class()
    response = client.get(reverse("resources:badge_class", args=[badge.slug]))
    assert directives(response) >= {"public", "s-maxage=60"}
