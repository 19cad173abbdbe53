"""Two app servers, one truth: two gunicorn processes on one PostgreSQL
database and one Redis, each with its page cache warm. An event published
(through the ORM, as the admin does) and a registration sent through one
server are both shown at once by the other: the purge is shared, not per
process, and reaches each server through Redis's tracking pushes, a hit
asking Redis nothing. Needs PostgreSQL (DATABASE_URL) and Redis (DB 2);
skipped without."""

import datetime
import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from django.db import connection
from django.utils import timezone

from events.models import EventIndexPage, Registration
from portal import pagecache
from tests.factories.events import create_event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("PAGE_CACHE_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
PREFIX = f"two-servers-{os.getpid()}"
START_TIMEOUT = 60
REQUEST_TIMEOUT = 15

# Production settings, but static files found by WhiteNoise without a
# collectstatic, and mail kept in memory.
SERVER_SETTINGS = """
from portal.settings.production import *

STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES["default"]["KEY_PREFIX"] = os.environ["PAGE_CACHE_TEST_PREFIX"]
"""


@pytest.fixture(autouse=True)
def _postgres_and_redis_only():
    if connection.vendor != "postgresql":
        pytest.skip("Le test des deux serveurs demande PostgreSQL (DATABASE_URL).")
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError:
        pytest.skip(f"Le test des deux serveurs demande Redis ({REDIS_URL}).")


@pytest.fixture
def shared_cache(settings):
    """This test process purges through the servers' Redis, as an admin
    process would."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
            "KEY_PREFIX": PREFIX,
        }
    }
    settings.PORTAL_PAGE_CACHE = True
    yield
    # Only this run's keys: the Redis database may serve others.
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{PREFIX}:*"):
        client.delete(key)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def post(port, path, data, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        body = urlencode(data)
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Host": "127.0.0.1",
                "Content-Type": "application/x-www-form-urlencoded",
                **headers,
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.fixture
def servers(home_page, shared_cache, tmp_path):
    """Two gunicorn servers (one worker each) on this test database, on free
    ports, with keys of their own in the shared Redis database."""
    (tmp_path / "two_servers_settings.py").write_text(SERVER_SETTINGS)
    db = connection.settings_dict
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "two_servers_settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}"
            f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "two-servers-test-key",
        # Production settings ask where the Open Badges 3.0 keys live.
        "BADGES_OB3_KEYS_DIR": str(tmp_path / "ob3-keys"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "WAGTAILADMIN_BASE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "PORTAL_PAGE_CACHE": "on",
        "PORTAL_PAGE_CACHE_TIMEOUT": "300",
        "PAGE_CACHE_TEST_PREFIX": PREFIX,
    }
    ports = (free_port(), free_port())
    processes = []
    logs = []
    try:
        for port in ports:
            log = (tmp_path / f"gunicorn-{port}.log").open("w")
            logs.append(log)
            processes.append(
                subprocess.Popen(  # noqa: S603
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "portal.wsgi",
                        f"--bind=127.0.0.1:{port}",
                        "--workers=1",
                        "--timeout=30",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        deadline = time.monotonic() + START_TIMEOUT
        for port, process in zip(ports, processes, strict=True):
            while True:
                if process.poll() is not None:
                    pytest.fail(_log_tail(tmp_path, port, "gunicorn s'est arrêté"))
                try:
                    if get(port, "/robots.txt")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(_log_tail(tmp_path, port, "gunicorn ne répond pas"))
                time.sleep(0.2)
        # {port: pid of its one worker}
        yield {
            port: int(
                Path(f"/proc/{process.pid}/task/{process.pid}/children")
                .read_text()
                .split()[0]
            )
            for port, process in zip(ports, processes, strict=True)
        }
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        for log in logs:
            log.close()


def _log_tail(tmp_path, port, message):
    text = (tmp_path / f"gunicorn-{port}.log").read_text()
    return f"{message} (port {port}):\n{text[-3000:]}"


def warm(port, path):
    """Ask twice: the second answer comes from the page cache."""
    get(port, path)
    status, headers, body = get(port, path)
    assert status == 200, (port, path, status)
    assert headers.get("X-Page-Cache") == "hit", (port, path, headers)
    return body


def tracking_processes():
    """The pids of the processes whose page cache Redis keeps current."""
    clients = redis.Redis.from_url(REDIS_URL).client_list()
    prefix = f"{pagecache.TRACKING_CLIENT_NAME}-"
    return {
        int(client["name"].removeprefix(prefix))
        for client in clients
        if client["name"].startswith(prefix) and "t" in client["flags"]
    }


def test_two_servers_serve_one_truth(servers):
    first, second = servers

    # Each server's worker hears the purges from Redis: a hit reads nothing.
    for port in servers:
        warm(port, "/")
    assert set(servers.values()) <= tracking_processes()

    # An event published (as the admin does) is shown by both at once.
    for port in servers:
        assert "Publié à l&#x27;instant" not in warm(port, "/agenda/")
    start = timezone.now() + datetime.timedelta(days=5)
    create_event(EventIndexPage.objects.get(), title="Publié à l'instant", start=start)
    for port in (second, first):
        status, headers, body = get(port, "/agenda/")
        assert status == 200
        assert "Publié à l&#x27;instant" in body, port
    # …and the fresh page is cached again, by either server for both.
    assert get(first, "/agenda/")[1].get("X-Page-Cache") == "hit"

    # A registration sent through one server changes the seats the other shows.
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(3)
    event = create_event(
        EventIndexPage.objects.get(),
        start=start,
        capacity=5,
        max_seats_per_registration=4,
    )
    page = warm(second, event.url)
    assert "places disponibles" in page
    form_path = html.unescape(
        re.search(r'href="([^"]+/inscription/\?date=[^"]+)"', page)[1]
    )
    status, headers, form = get(first, form_path)
    assert status == 200
    assert "no-store" in headers["Cache-Control"]
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    occurrence = re.search(r'name="occurrence" value="([^"]+)"', form)[1]
    status = post(
        first,
        form_path,
        {
            "csrfmiddlewaretoken": token,
            "occurrence": html.unescape(occurrence),
            "name": "Camille Martin",
            "email": "camille@exemple.fr",
            "phone": "",
            "seats": "4",
            "consent": "on",
            "website": "",
        },
        {"Cookie": cookie},
    )
    assert status in (200, 302), status
    assert Registration.objects.count() == 1

    status, headers, body = get(second, event.url)
    assert "dernières places" in body  # 1 seat of 5 left
