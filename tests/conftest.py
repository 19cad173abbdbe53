"""Shared fixtures: the site's page tree, demo data, users per role."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from portal import demo


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
    from home.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def home_page(db):
    """The site's tree without any app's demo content: home, index pages,
    legal pages and partners."""
    demo.load(with_accounts=False, with_apps=False)
    from home.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def role_user(db, django_user_model):
    """Factory: a user in the given role's group (groups are created first)."""
    from django.contrib.auth.models import Group

    from portal import roles

    def make(group_name, username=None, **extra):
        call_command("setup_portal", verbosity=0)
        user = django_user_model.objects.create_user(
            username=username or group_name.lower().replace(" ", "-"),
            email=f"{abs(hash(group_name))}@exemple.invalid",
            password="motdepasse-de-test",
            **extra,
        )
        user.groups.add(Group.objects.get(name=group_name))
        return user

    make.roles = roles
    return make


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser(live_server, monkeypatch):
    """A headless Debian Chromium driven by Playwright, against the live test
    server. Yields (page, base_url)."""
    import shutil

    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium n'est pas installé (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # made by the test itself are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
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
        context = instance.new_context(
            locale="fr-FR", viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        try:
            yield page, live_server.url
        finally:
            context.close()
            instance.close()


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
