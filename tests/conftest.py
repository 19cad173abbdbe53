"""Shared fixtures, found by pytest in every test module: the site's page
tree (built once per test process, see « The site tree, built once » below),
demo data, users per role, an agenda with events, and one Chromium per test
session (a fresh browser context per test). Helpers that are not
fixtures live in `tests/admin_forms.py`, `tests/registration_helpers.py`,
`tests/volunteer_helpers.py` and the factories in `tests/factories/`."""

import copy
import datetime
import gc
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.text import slugify

from events.models import EventIndexPage, EventPage, EventType
from home.models import HomePage
from portal import roles
from portal.factories import create_site_tree
from tests.admin_forms import PASSWORD, USERNAMES, create_role_user
from tests.db_snapshot import Snapshots, faster_flush, media_in, put_back_media
from tests.indexing import indexing, reads_an_index
from tests.registration_helpers import make_event as make_registration_event

_snapshots = Snapshots()


def _build_site_tree():
    """The one call that builds the site's skeleton for the tests (home,
    sections, legal pages, partners, the roles' groups and workflow); builds
    only what is missing. On a database a transactional test has flushed,
    the copy taken the first time is put back instead (tests/db_snapshot.py)."""
    with indexing(True):
        return _snapshots.build("tree", create_site_tree) or HomePage.objects.get()


# --- The site tree, built once ------------------------------------------------
# Most tests run on the site's skeleton (`home_page`); building it costs about
# a thousand queries. It is built once per test process, inside a transaction
# left open: every non-transactional test runs inside it (pytest-django's
# `db` opens a savepoint per test and rolls it back after), so each one
# starts from the same untouched tree and what it changes is undone.
#
# Tests that need real commits (`transaction=True`, `live_server`, which
# pytest-django runs after the others) and tests marked `empty_site` (they
# check what the demo loader or the tree builder creates on a bare database)
# run without it: the transaction is rolled back first, so they start from
# the migrated database as before, and it is built again, once, if a test
# that wants it comes after them.


def _transactional(node, names):
    """Whether pytest-django runs this test as a TransactionTestCase (the
    same reading of markers and fixtures as pytest-django's own)."""
    marker = node.get_closest_marker("django_db")
    kwargs = marker.kwargs if marker else {}
    return bool(
        kwargs.get("transaction")
        or kwargs.get("reset_sequences")
        or {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names)
    )


class _Layer:
    """Content built once per test process inside a transaction (or, over
    another layer, a savepoint) left open; the tests that want it run inside
    it, each in a savepoint of its own."""

    def __init__(self, build, below=None):
        self.build = build
        self.below = below
        self.above = []
        if below is not None:
            below.above.append(self)
        self.atomic = self.connection = self.value = None

    def open(self):
        if self.below is not None:
            self.below.open()
        if self.atomic is None:
            self.connection = connections[DEFAULT_DB_ALIAS]
            self.atomic = transaction.atomic()
            # Seen by Django as a test case's block: durable blocks inside a
            # test stay allowed.
            self.atomic._from_testcase = True
            self.atomic.__enter__()
            self.value = self.build()
            cache.clear()

    def close(self):
        for layer in self.above:
            layer.close()
        if self.atomic is None:
            return
        # Playwright's greenlet gives the code that runs after Chromium has
        # started a connection object of its own: roll back on the one that
        # opened the transaction.
        current = connections[DEFAULT_DB_ALIAS]
        connections[DEFAULT_DB_ALIAS] = self.connection
        try:
            if self.connection.in_atomic_block:
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
        finally:
            connections[DEFAULT_DB_ALIAS] = current
            self.atomic = self.connection = self.value = None
        cache.clear()

    def lost(self):
        """Whether a test closed the connection under the transaction (a
        management command run through `execute_from_command_line` closes
        every connection; PostgreSQL then rolls everything back)."""
        return self.atomic is not None and (
            self.connection.closed_in_transaction or not self.connection.in_atomic_block
        )


def _shared(request):
    """Whether a test runs on the shared layers (not transactional, not
    marked `empty_site`)."""
    return not (
        _transactional(request.node, request.fixturenames)
        or request.node.get_closest_marker("empty_site")
    )


def _wants_demo(names):
    return "demo_data" in names


# The demo's files (images, STL files, documents) are written once, in a
# folder of this test process, and copied into each test's media folder.
_demo_media = None


def _load_demo():
    global _demo_media
    if _demo_media is not None:
        shutil.rmtree(_demo_media, ignore_errors=True)
    _demo_media = Path(tempfile.mkdtemp(prefix="portal-demo-media-"))
    with media_in(_demo_media):
        _demo_content()
    return HomePage.objects.get().pk


def _demo_content():
    """The roles and the demo, as `make run` sets them up (indexed too)."""
    with indexing(True):
        call_command("setup_portal", verbosity=0)
        call_command("load_demo_data", verbosity=0)


_shared_tree = _Layer(lambda: _build_site_tree().pk)
# The whole demo over the tree, for the plain tests that ask for `demo_data`
# (put together at the end of the plain tests, see below).
_shared_demo = _Layer(_load_demo, below=_shared_tree)


class _ModuleData:
    """What a test module builds once (`module_data(make)` in a
    module-scoped fixture of its own): built in a savepoint over the shared
    tree, kept for the module's tests and rolled back after the last one.
    Each test gets a deep copy of the objects (as Django's `setUpTestData`
    gives) and the files written with them, in its own media folder."""

    def __init__(self, blocker, folder):
        self.blocker = blocker
        self.folder = folder
        self.layer = _Layer(lambda: None, below=_shared_tree)
        self.value = None

    def build(self, make):
        with self.blocker.unblock():
            self.layer.open()
            with media_in(self.folder):
                self.value = make()
        return self

    def for_test(self):
        if self.layer.atomic is None:
            raise RuntimeError(
                "Les données du module ont été annulées : un test hors de "
                "l'arbre partagé s'est glissé entre les tests du module."
            )
        put_back_media(self.folder)
        return copy.deepcopy(self.value)

    def close(self):
        with self.blocker.unblock():
            self.layer.close()
        _shared_tree.above.remove(self.layer)


@pytest.fixture(scope="module")
def module_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """`module_data(make)`: `make()` run once for the test module, on the
    shared tree (see `_ModuleData`); a module-scoped fixture returns it and
    a test's fixture calls `.for_test()` on it (after the test's media
    folders are set, which the autouse `_media_root` does)."""
    made = []

    def build(make):
        data = _ModuleData(django_db_blocker, tmp_path_factory.mktemp("module"))
        made.append(data)
        return data.build(make)

    yield build
    for data in reversed(made):
        data.close()


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    # Right before pytest-django opens a test's transaction (or prepares a
    # transactional test), once the test database exists.
    if fixturedef.argname != "_django_db_helper":
        return
    _snapshots.forget_last()
    with request.getfixturevalue("django_db_blocker").unblock():
        if _shared_tree.lost():
            _shared_tree.close()
        if not _shared(request):
            _shared_tree.close()
        elif _wants_demo(request.fixturenames):
            _shared_demo.open()
        else:
            _shared_demo.close()
            _shared_tree.open()


# The suite allocates millions of short-lived objects (model states during
# `migrate`, querysets, rendered templates); each of CPython's full
# collections walks every object alive, modules included. Full collections
# ten times rarer, and the objects of the imported modules frozen out of
# them, take a tenth off the suite (SQLite, 2 processes: 163 s → 146 s) for
# a peak of 550 MB per process instead of 420 MB.
gc.set_threshold(700, 10, 100)


def pytest_collection_finish(session):
    gc.freeze()


def pytest_collection_modifyitems(items):
    _refuse_unmarked_index_readers(items)

    # After pytest-django's ordering (plain database tests, transactional
    # ones, then the rest): the plain tests on the demo, then the plain
    # `empty_site` ones, move to just before the transactional ones, so the
    # demo is loaded once and the shared tree rolled back once for them.
    def plain(item):
        return not _transactional(item, item.fixturenames)

    def empty(item):
        return bool(item.get_closest_marker("empty_site")) and plain(item)

    def demo(item):
        return _wants_demo(item.fixturenames) and plain(item) and not empty(item)

    moved = [item for item in items if demo(item)] + [i for i in items if empty(i)]
    if not moved:
        return
    rest = [item for item in items if not (demo(item) or empty(item))]
    first = next(
        (n for n, item in enumerate(rest) if _transactional(item, item.fixturenames)),
        len(rest),
    )
    items[:] = rest[:first] + moved + rest[first:]


def _refuse_unmarked_index_readers(items):
    # A module that searches or reads references without the `indexed` mark
    # would read empty indexes (tests/indexing.py).
    unmarked = {
        item.path
        for item in items
        if not item.get_closest_marker("indexed") and item.path.name.startswith("test_")
    }
    readers = sorted(path.name for path in unmarked if reads_an_index(path.read_text()))
    if readers:
        raise pytest.UsageError(
            "Ces modules lisent l'index de recherche ou des références sans "
            "la marque `indexed` (pytestmark = pytest.mark.indexed) : "
            + ", ".join(readers)
        )


@pytest.fixture(autouse=True)
def _indexes_only_where_read(request):
    """The search and reference indexes are written only in tests marked
    `indexed` (tests/indexing.py)."""
    if request.node.get_closest_marker("indexed"):
        yield
    else:
        with indexing(False):
            yield


_migrated_sqlite = None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    global _migrated_sqlite
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite":
        # The migrated database, as it is before any test, copied to a file
        # with SQLite's backup API (`migrated_sqlite_file`).
        with django_db_blocker.unblock():
            connection.ensure_connection()
            _migrated_sqlite = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
            copy = sqlite3.connect(_migrated_sqlite)
            connection.connection.backup(copy)
            copy.close()
    yield
    # Rolled back before pytest-django drops the test database.
    with django_db_blocker.unblock():
        _shared_tree.close()
    _snapshots.close()
    if _demo_media is not None:
        shutil.rmtree(_demo_media, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _faster_flush():
    with pytest.MonkeyPatch.context() as monkeypatch:
        faster_flush(monkeypatch)
        yield


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
    """The whole demo content, as `make run` loads it: loaded once for the
    plain tests (the shared demo, its files copied into the test's media
    folder), put back from its copy on a database a transactional test has
    flushed (tests/db_snapshot.py)."""
    if _shared_demo.atomic is not None:
        put_back_media(_demo_media)
        return HomePage.objects.get(pk=_shared_demo.value)

    _snapshots.build("demo", _demo_content)
    return HomePage.objects.get()


@pytest.fixture
def migrated_sqlite_file(django_db_setup, tmp_path):
    """A SQLite file holding the migrated, empty database (what `migrate`
    leaves), for a test that runs the site in another process."""
    if _migrated_sqlite is None:
        pytest.skip("SQLite only")
    path = tmp_path / "run.sqlite3"
    shutil.copyfile(_migrated_sqlite, path)
    return path


@pytest.fixture
def postgres_only():
    """Skips a concurrency test (`tests/concurrency.py`) on SQLite, which
    serialises every write and so would prove nothing."""
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        pytest.skip("Le test de concurrence demande PostgreSQL (DATABASE_URL).")


@pytest.fixture
def built_once(db):
    """`built_once(name, make)`: what a transactional test builds on the
    tree (`make()`), put back from a copy after the first time
    (tests/db_snapshot.py); returns what `make()` returns, or `None` when
    put back. In a plain test, or on anything else than the tree just put
    back, `make()` runs as usual."""
    return _snapshots.build


@pytest.fixture
def accounts(demo_data):
    """The demo's accounts, one per role (usernames and password in
    tests/admin_forms.py)."""
    return demo_data


@pytest.fixture
def home_page(db):
    """The site's tree without any app's demo content: home, index pages,
    legal pages and partners; the roles' groups are set up on it. Already
    there for a plain test (the shared tree: only read, not checked again);
    built for a transactional one."""
    if _shared_tree.atomic is not None:
        return HomePage.objects.get(pk=_shared_tree.value)
    return _build_site_tree()


@pytest.fixture
def role_user(db, django_user_model):
    """Factory: a user in the given role's group (groups are created first,
    once per test)."""
    set_up = []

    def make(group_name, username=None, **extra):
        # The shared tree has its groups already; elsewhere they are made.
        if not set_up and _shared_tree.atomic is None:
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
            made[username] = create_role_user(username, role)
        return made[username]

    return user_for


@pytest.fixture
def event_type(home_page):
    return EventType.objects.get_or_create(
        slug="install-party", defaults={"name": "Install party"}
    )[0]


@pytest.fixture
def agenda(home_page):
    """The agenda's index page (/agenda/)."""
    return EventIndexPage.objects.child_of(home_page).get()


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

# Chromium's headless shell (Debian's chromium-headless-shell, the build
# Playwright itself uses for headless runs) renders the same Blink without the
# full browser around it: the browser tests take about a third less time.
# The full browser is the fallback.
CHROMIUM = next(
    (
        path
        for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
        if shutil.which(path)
    ),
    "/usr/bin/chromium",
)


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium driven by Playwright, started once."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip(
            "Chromium n'est pas installé "
            "(apt-get install chromium-headless-shell ou chromium)"
        )
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


@pytest.fixture
def site_memo_cache(settings, tmp_path):
    """A cache every process of the machine shares (as Redis is), with both
    the page and the fragment cache off: the fully cold render, where what
    the site keeps per process is kept (portal.routing.site_memo)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    settings.PORTAL_PAGE_CACHE = False
    settings.PORTAL_FRAGMENT_CACHE = False
