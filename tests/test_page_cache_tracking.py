"""A page-cache hit with Redis makes no round trip: each process keeps the
generations, and Redis pushes every change of them to it (CLIENT TRACKING).
A purge made through another connection, as another process makes it, is
honoured by the very next request, and a lost tracking connection falls
back to reading the generations at each hit. Needs Redis
(PAGE_CACHE_TEST_REDIS_URL, DB 2 by default); skipped without."""

import os

import pytest
import redis
from django_redis.cache import RedisCache
from redis.connection import Connection
from wagtail.models import Page

from home.models import StandardPage
from portal import pagecache

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("PAGE_CACHE_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
PREFIX = f"tracking-{os.getpid()}"
ABOUT = "/a-propos/"
CACHE = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": REDIS_URL,
    "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    "KEY_PREFIX": PREFIX,
}


@pytest.fixture
def redis_cache(settings):
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError:
        pytest.skip(f"Le suivi des générations demande Redis ({REDIS_URL}).")
    settings.CACHES = {"default": CACHE}
    settings.PORTAL_PAGE_CACHE = True
    yield
    # Only this run's keys: the Redis database may serve others.
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{PREFIX}:*"):
        client.delete(key)


@pytest.fixture
def another_process():
    """A cache client of its own (its own connections), as another worker
    purging would have."""
    other = RedisCache(CACHE["LOCATION"], {**CACHE})
    yield other
    other.close()


@pytest.fixture
def redis_commands(monkeypatch):
    """The commands this process sends Redis through redis-py (the cache's
    client), counted while passed on."""
    sent = []
    send = Connection.send_packed_command

    def counting(self, command, *args, **kwargs):
        sent.append(command)
        return send(self, command, *args, **kwargs)

    monkeypatch.setattr(Connection, "send_packed_command", counting)
    return sent


def retitle_quietly(path, title):
    """Change the title in the database without any signal: only the cache
    can explain an old title still being served."""
    page = Page.objects.get(url_path__endswith=path)
    Page.objects.filter(pk=page.pk).update(title=title)
    StandardPage.objects.filter(pk=page.pk).update(title=title)


def warm(client, path):
    client.get(path)
    response = client.get(path)
    assert response["X-Page-Cache"] == "hit", path
    return response


def test_a_hit_makes_no_round_trip_to_redis(
    client, home_page, redis_cache, redis_commands
):
    warm(client, ABOUT)
    redis_commands.clear()
    response = client.get(ABOUT)
    assert response["X-Page-Cache"] == "hit"
    assert redis_commands == []


def test_a_purge_through_another_connection_is_seen_by_the_next_request(
    client, home_page, redis_cache, another_process
):
    warm(client, ABOUT)
    retitle_quietly(ABOUT, "Nouveau titre")
    assert "Nouveau titre" not in client.get(ABOUT).content.decode()
    # What pagecache.purge() writes, written by another process's client.
    another_process.set(pagecache.GENERATION_KEY, "une autre génération", None)
    another_process.get(pagecache.GENERATION_KEY)
    response = client.get(ABOUT)
    assert response["X-Page-Cache"] == "miss"
    assert "Nouveau titre" in response.content.decode()


def test_a_scoped_purge_forgets_its_pages_only(
    client, home_page, redis_cache, redis_commands
):
    warm(client, ABOUT)
    warm(client, "/")
    retitle_quietly(ABOUT, "Nouveau titre")
    pagecache.purge_paths([ABOUT])
    redis_commands.clear()
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert redis_commands == []  # the home page's generations did not change
    response = client.get(ABOUT)
    assert response["X-Page-Cache"] == "miss"
    assert "Nouveau titre" in response.content.decode()


def test_a_lost_tracking_connection_falls_back_to_reading_each_hit(
    client, home_page, redis_cache, another_process, redis_commands
):
    warm(client, ABOUT)
    retitle_quietly(ABOUT, "Nouveau titre")
    tracking = pagecache._tracker._conn._sock.getsockname()
    address = f"{tracking[0]}:{tracking[1]}"
    killer = redis.Redis.from_url(REDIS_URL)
    assert killer.client_kill_filter(addr=address) == 1
    another_process.set(pagecache.GENERATION_KEY, "une autre génération", None)
    another_process.get(pagecache.GENERATION_KEY)
    redis_commands.clear()
    response = client.get(ABOUT)
    assert "Nouveau titre" in response.content.decode()
    assert redis_commands  # read from Redis, not from a copy nobody updates
    # Until a new tracking connection is made (a second later), each hit
    # reads the generations.
    redis_commands.clear()
    assert client.get(ABOUT)["X-Page-Cache"] == "hit"
    assert redis_commands


def test_generations_gone_from_redis_are_seen_at_once(client, home_page, redis_cache):
    warm(client, ABOUT)
    retitle_quietly(ABOUT, "Nouveau titre")
    # Evicted, expired or flushed: Redis tells the tracking process too.
    others = redis.Redis.from_url(REDIS_URL)
    others.delete(*others.scan_iter(f"{PREFIX}:*"))
    response = client.get(ABOUT)
    assert response["X-Page-Cache"] == "miss"
    assert "Nouveau titre" in response.content.decode()
