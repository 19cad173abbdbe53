"""Shared fixtures, found by pytest in every test module: the site's page
tree, demo data, users per role, an agenda with events, and one Chromium per
test session (a fresh browser context per test). Helpers that are not
fixtures live in `tests/admin_forms.py`, `tests/registration_helpers.py`,
`tests/volunteer_helpers.py` and the factories in `tests/factories/`."""

import datetime
import os
import shutil

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from events.models import EventPage, EventType
from home.models import HomePage
from portal import roles
from portal.factories import create_site_tree
from tests.admin_forms import PASSWORD, USERNAMES
from tests.registration_helpers import make_event as make_registration_event


@pytest.fixture(scope="session", autouse=True)
def _queued_mail(django_test_environment):
    # Django's test set-up swaps EMAIL_BACKEND for locmem; put the queue back,
    # so every test sends as the site does (delivered into mail.outbox).
    from django.conf import settings

    settings.EMAIL_BACKEND = "portal.mail.QueuedEmailBackend"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded and generated files go to a throw-away folder per test.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters (and cached fragments) never leak between tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_data(db):
    """The whole demo content, as `make run` loads it."""
    call_command("setup_portal", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    return HomePage.objects.get()


@pytest.fixture
def home_page(db):
    """The site's tree without any app's demo content: home, index pages,
    legal pages and partners; the roles' groups are set up on it."""
    return create_site_tree()


@pytest.fixture
def role_user(db, django_user_model):
    """Factory: a user in the given role's group (groups are created first,
    once per test)."""
    set_up = []

    def make(group_name, username=None, **extra):
        if not set_up:
            call_command("setup_portal", verbosity=0)
            set_up.append(True)
        user = django_user_model.objects.create_user(
            username=username or group_name.lower().replace(" ", "-"),
            email=f"{abs(hash(group_name))}@exemple.invalid",
            password=PASSWORD,
            **extra,
        )
        user.groups.add(Group.objects.get(name=group_name))
        return user

    make.roles = roles
    return make


# --- Roles ------------------------------------------------------------------


@pytest.fixture
def portal_roles(home_page, django_user_model):
    """Groups set up on the demo tree (by `home_page`); returns a factory of
    users per role, each with an e-mail address so that notifications can
    reach them."""
    made = {}

    def user_for(role, username=None):
        username = username or USERNAMES[role]
        if username not in made:
            user = django_user_model.objects.create_user(
                username=username,
                email=f"{username}@atelier-wimille.test",
                password=PASSWORD,
                first_name=username.capitalize(),
            )
            user.groups.add(Group.objects.get(name=role))
            made[username] = user
        return made[username]

    return user_for


@pytest.fixture
def event_type(home_page):
    return EventType.objects.get_or_create(
        slug="install-party", defaults={"name": "Install party"}
    )[0]


@pytest.fixture
def agenda(home_page):
    return Page.objects.get(slug="agenda", depth=home_page.depth + 1)


@pytest.fixture
def make_event(agenda, event_type):
    """Factory: an event page under /agenda/, live or a draft, owned by `owner`."""

    def make(title, owner=None, live=True):
        start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
        page = EventPage(
            title=title,
            slug=slugify(title),
            summary=f"{title}.",
            event_type=event_type,
            start=start,
            end=start + datetime.timedelta(hours=2),
            owner=owner,
            live=live,
        )
        agenda.add_child(instance=page)
        revision = page.save_revision(user=owner)
        if live:
            revision.publish()
        page.refresh_from_db()
        return page

    return make


@pytest.fixture
def event(home_page):
    """A published weekly event with 5 seats under /agenda/ (registrations)."""
    return make_registration_event(home_page)


# --- Browser: one Chromium per test session, a fresh context per test -------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium driven by Playwright, started once."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium n'est pas installé (apt-get install chromium)")
    # Playwright's sync API keeps an event loop in this thread from here on;
    # the ORM calls made by the tests themselves are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def browser(chromium, live_server):
    """A new browser context (no cookies, no storage left by another test)
    against the live test server. Yields (page, base_url)."""
    context = chromium.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        yield page, live_server.url
    finally:
        context.close()


def axe_violations(page):
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; return the
    violations as readable strings."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
            }
        },
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}) {v['nodes'][0]['target']}"
        for v in results.response["violations"]
    ]
