"""The visitors' page cache: whole responses to anonymous GET and HEAD requests,
kept in Django's cache (Redis in production) and shared by every process.

The rule: a response is kept only when `portal.middleware.CacheControlMiddleware`
has judged it public (so never for a logged-in user, a preview, a private page,
a form with its CSRF token, a response setting a cookie, a POST or an error),
and it is served only to a request that carries no cookie but the CSRF one.
Every entry holds the *generations* it was rendered in: the site's, and
its *scope*'s (the first two segments of its path: every page of one event
under « /agenda/atelier-x »). With Redis each process keeps a copy of the
generations that Redis itself keeps current (CLIENT TRACKING pushes every
change to them to every process, `_GenerationTracker`), and a copy of the
entries it served: a hit then asks Redis nothing. Without that copy they are
read in the same round trip as the entry (one MGET).

When anything a page shows changes (a page published, unpublished, moved or
deleted, a snippet, a site setting or one of `PORTAL_PAGE_CACHE_PURGE_MODELS`
saved or deleted, a backup restored) the site's generation is replaced, in
the cache itself, so every process stops serving the old entries at once. A
change that only some pages show (a registration: its event's pages and the
listings of seats) replaces only the generations of their scopes
(`purge_paths`): every other page stays served from the cache. A cache each
process keeps apart (local memory, as under `make run`) cannot tell the others: the
generation then lives in the database (`PageCacheGeneration`), read with
each cached answer (one small query), so a page deleted from a shell or a
backup restored by `manage.py restore` is not served from the server's old
copy (a scoped purge is a whole purge there). Entries also expire after
`PORTAL_PAGE_CACHE_TIMEOUT` seconds, so time-based content (« prochaines
dates ») moves on by itself.

`PORTAL_PAGE_CACHE=off` in the environment switches it off.
"""

import hashlib
import ipaddress
import logging
import os
import threading
import time
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.db import OperationalError, ProgrammingError, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, get_conditional_response
from django_redis.client import DefaultClient
from redis.connection import Connection, UnixDomainSocketConnection
from redis.exceptions import ResponseError
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from .models import PageCacheGeneration

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
SCOPE_PREFIX = "pagecache:scope:"
# A scope's generation may expire (a fresh random value then replaces it,
# which only forgets its pages): it never has to be kept for ever.
SCOPE_TIMEOUT = 24 * 3600
PRIVATE_PREFIXES = ("/admin/", "/django-admin/")
# A crafted query string should not make keys (and entries) as long as it likes.
MAX_URL_LENGTH = 1024
MAX_CONTENT_LENGTH = 2 * 1024 * 1024
# Saving a draft of a live page only touches these fields: visitors see nothing.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "draft_title",
        "has_unpublished_changes",
        "latest_revision",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
    }
)
HIT_HEADER = "X-Page-Cache"


def is_enabled():
    return settings.PORTAL_PAGE_CACHE


# Each thread's cache, as `caches[...]` gives it, kept at hand: a hit asks
# for it several times, and `caches` looks it up through asgiref's Local.
_thread = threading.local()


def _cache():
    cache = getattr(_thread, "cache", None)
    if cache is None:
        cache = _thread.cache = caches[settings.PORTAL_PAGE_CACHE_ALIAS]
    return cache


# --- Generation: one purge for every process --------------------------------


def _current_generation(found, key=GENERATION_KEY, timeout=None):
    """The generation in `found` (a get_many result), created on first use
    (or after an eviction or expiry: a new random value never brings old
    entries back, and no entry is ever kept under none)."""
    current = found.get(key)
    if current is None:
        cache = _cache()
        cache.add(key, uuid.uuid4().hex, timeout)
        current = cache.get(key)
    return current


def scope(path):
    """The pages a scoped purge forgets together: the first two segments of
    their path (« /agenda/atelier-x » for an event's page, its forms and its
    poster; « /agenda/ » for the agenda and its days; « / » for the home)."""
    return "/".join(path.split("/", 3)[:3])


def scope_key(path):
    return SCOPE_PREFIX + hashlib.sha256(scope(path).encode()).hexdigest()


def generations(path, also=()):
    """(site generation, scope generation of `path`, {key: value} for the
    keys `also`), read in one round trip, or none when Redis keeps this
    process's copy of the generations current (`_GenerationTracker`); the
    scope is "" for a cache each process keeps apart (scoped purges are
    whole purges there)."""
    if _per_process():
        found = _cache().get_many(list(also)) if also else {}
        return _database_generation(), "", found
    key = scope_key(path)
    tracked = _tracker.read(GENERATION_KEY, key)
    if tracked is not None:
        found = _cache().get_many(list(also)) if also else {}
        return tracked[0], tracked[1], found
    found = _cache().get_many([GENERATION_KEY, key, *also])
    site = _current_generation(found)
    return site, _current_generation(found, key, SCOPE_TIMEOUT), found


def _per_process():
    """True when each process keeps its own cache: the generation cannot
    travel through it."""
    return isinstance(_cache(), LocMemCache)


def _database_generation():
    value = PageCacheGeneration.objects.values_list("value", flat=True).first()
    if value is None:
        value = PageCacheGeneration.objects.get_or_create(
            pk=1, defaults={"value": uuid.uuid4().hex}
        )[0].value
    return value


def _set_database_generation(value):
    try:
        # A savepoint: on PostgreSQL a failed statement would otherwise abort
        # the caller's transaction (a migration's, for instance).
        with transaction.atomic():
            if not PageCacheGeneration.objects.filter(pk=1).update(value=value):
                PageCacheGeneration.objects.update_or_create(
                    pk=1, defaults={"value": value}
                )
    except (OperationalError, ProgrammingError):
        # A purge sent by another app's migration, before portal's made the
        # table: no process serves anything yet, so there is nothing to tell.
        logger.debug("Page cache: no generation table yet")


def _told_every_process():
    """Return once Redis has pushed the change just written to every process
    tracking it (`_GenerationTracker`): it writes those pushes out before it
    reads this process's next command, so one more round trip is enough for
    a request sent to another process after this one to see the change."""
    if not _per_process():
        _cache().get(GENERATION_KEY)


def purge():
    """Forget every page at once, in every process sharing the cache (or the
    database, for a per-process cache)."""
    try:
        value = uuid.uuid4().hex
        _cache().set(GENERATION_KEY, value, None)
        _told_every_process()
        # The rendered fragments (portal/fragments.py) share the generation.
        in_use = is_enabled() or getattr(settings, "PORTAL_FRAGMENT_CACHE", False)
        if in_use and _per_process():
            _set_database_generation(value)
    except Exception:
        logger.exception("Page cache: the purge failed")


def forget_all():
    """After the whole database was replaced (`restore`): every process,
    whatever its cache, stops serving what it kept."""
    value = uuid.uuid4().hex
    _cache().set(GENERATION_KEY, value, None)
    _told_every_process()
    _set_database_generation(value)


def purge_now_and_after_commit():
    """Purge now, and again once the transaction is committed: a process that
    rendered the page between the two, from data not yet committed, stored it
    under the generation the second purge throws away."""
    purge()
    transaction.on_commit(purge)


def purge_paths(paths):
    """Forget the pages of these paths' scopes (`scope`), in every process;
    every other page stays. A per-process cache forgets everything."""
    try:
        if _per_process():
            purge()
            return
        value = uuid.uuid4().hex
        keys = {scope_key(path): value for path in paths}
        _cache().set_many(keys, SCOPE_TIMEOUT)
        _told_every_process()
    except Exception:
        logger.exception("Page cache: the scoped purge failed")


def purge_paths_now_and_after_commit(paths):
    """`purge_paths` now and once the transaction is committed (see
    `purge_now_and_after_commit`)."""
    paths = list(paths)
    purge_paths(paths)
    transaction.on_commit(lambda: purge_paths(paths))


# --- Generations Redis pushes to each process ---------------------------------

# How long a process trusts its copy of a generation without reading it again
# (so a connection that died without a word cannot hide purges for long),
# and how long it waits for Redis before reading the generations as before.
TRACKING_FRESHNESS = 1.0
TRACKING_TIMEOUT = 0.5
TRACKING_RETRY = 1.0
TRACKING_MAX_KEYS = 10_000
TRACKING_CLIENT_NAME = "portal-pagecache-tracking"


class _CannotTrack(Exception):
    """This Redis cannot keep the generations current for us."""


class _GenerationTracker:
    """This process's copy of the generations, kept current by Redis itself,
    so that a hit makes no round trip: they are read on a connection of this
    process's own (redis-py's, RESP3) with CLIENT TRACKING on, and Redis
    then pushes, on that same connection and in order with its replies, the
    name of every key read there that is changed, expires or is evicted
    (redis-py's parser hands each push to `_apply`). Each read first takes,
    without waiting, whatever Redis has pushed (`_told_every_process` makes
    sure a purge's pushes are out before the purging request ends; only with
    Redis on this machine, loopback or Unix socket, are they then already in
    this process's socket). At the least doubt (no connection yet or any
    more, an error, a slow answer, a copy older than TRACKING_FRESHNESS)
    `read` returns None and the generations are read from the cache as
    before, so a purge is never missed."""

    def __init__(self):
        self._lock = threading.Lock()
        self._conn = None
        self._pid = None
        self._values = {}  # key as Redis names it: (value, read at)
        self._retry_at = 0.0
        self._address = None  # None: not looked at yet; False: cannot track

    def read(self, *keys):
        """The values of these cache keys (the cache's own names), or None."""
        if self._address is False:
            return None
        with self._lock:
            try:
                if not self._connected():
                    return None
                self._take_pushes()
                return self._values_of(keys)
            except Exception:
                logger.warning("Page cache: generations read without tracking")
                self._close()
                self._retry_at = time.monotonic() + TRACKING_RETRY
                return None

    def forget(self):
        """Close the connection (settings changed, or a test ends)."""
        with self._lock:
            self._close()
            self._address = None
            self._retry_at = 0.0

    def _values_of(self, keys):
        cache = _cache()
        names = [cache.make_key(key).encode() for key in keys]
        now = time.monotonic()
        values = self._values
        missing = [
            name
            for name in names
            if name not in values or values[name][1] < now - TRACKING_FRESHNESS
        ]
        if missing:
            if len(values) > TRACKING_MAX_KEYS:
                values.clear()
            self._conn.send_command("MGET", *missing)
            # Pushes that come before the reply are applied on the way.
            reply = self._conn.read_response(disable_decoding=True)
            if not isinstance(reply, list) or len(reply) != len(missing):
                raise ResponseError(f"MGET answered {reply!r}")
            for name, raw in zip(missing, reply, strict=True):
                if raw is None:
                    # Not made yet (or evicted): the usual path makes it.
                    values.pop(name, None)
                    return None
                values[name] = (cache.client.decode(raw), now)
        return [values[name][0] for name in names]

    # The connection ---------------------------------------------------------

    def _connected(self):
        if self._conn is not None and self._pid == os.getpid():
            return True
        if self._conn is not None:  # inherited through a fork: not ours
            self._close()
        if time.monotonic() < self._retry_at:
            return False
        if self._address is None:
            self._address = self._redis_address()
        if self._address is False:
            return False
        try:
            self._connect(self._address)
        except _CannotTrack as error:
            # A Redis without RESP3 or tracking (before 6.0), or on another
            # machine: generations are read at each hit.
            logger.warning("Page cache: generations not tracked (%s)", error)
            self._close()
            self._address = False
            return False
        except Exception:
            logger.warning("Page cache: no tracking connection to Redis")
            self._close()
            self._retry_at = time.monotonic() + TRACKING_RETRY
            return False
        return True

    @staticmethod
    def _redis_address():
        """The connection arguments of the cache's one Redis server, if it is
        reached over plain TCP or a Unix socket; else False."""
        client = getattr(_cache(), "client", None)
        # django-redis's plain client on one server (a replica could lag
        # behind a purge; other clients store values their own way).
        if type(client) is not DefaultClient or len(client._server) != 1:
            return False
        pool = client.get_client(write=True).connection_pool
        kwargs = pool.connection_kwargs
        if pool.connection_class not in (Connection, UnixDomainSocketConnection):
            return False
        if kwargs.get("credential_provider") is not None:
            return False
        return {
            "path": kwargs.get("path"),
            "host": kwargs.get("host", "localhost"),
            "port": int(kwargs.get("port", 6379)),
            "db": int(kwargs.get("db") or 0),
            "username": kwargs.get("username"),
            "password": kwargs.get("password"),
        }

    def _connect(self, address):
        options = {
            "db": address["db"],
            "username": address["username"],
            "password": address["password"],
            "protocol": 3,
            # Named, so that CLIENT LIST shows which process each one is.
            "client_name": f"{TRACKING_CLIENT_NAME}-{os.getpid()}",
            "socket_timeout": TRACKING_TIMEOUT,
            "socket_connect_timeout": TRACKING_TIMEOUT,
        }
        if address["path"]:
            conn = UnixDomainSocketConnection(path=address["path"], **options)
        else:
            conn = Connection(host=address["host"], port=address["port"], **options)
        self._conn, self._pid = conn, os.getpid()
        try:
            conn.connect()
        except ResponseError as error:  # HELLO refused: a Redis before 6.0
            raise _CannotTrack(f"Redis before 6.0 ({error})") from error
        if not address["path"]:
            peer = conn._sock.getpeername()[0]
            if not ipaddress.ip_address(peer).is_loopback:
                # Over a network, a push may still be on its way when the
                # purging request has ended: only Redis on this machine
                # (loopback, Unix socket) delivers it before replying.
                raise _CannotTrack("Redis is on another machine")
        conn._parser.set_invalidation_push_handler(self._apply)
        self._values.clear()
        conn.send_command("CLIENT", "TRACKING", "ON")
        conn.read_response()

    def _close(self):
        if self._conn is not None:
            self._conn.disconnect()
        self._conn = None
        self._values.clear()

    # Messages ---------------------------------------------------------------

    def _take_pushes(self):
        """Apply every invalidation Redis has sent, without waiting for any
        (the parser hands each one to `_apply`)."""
        while self._conn.can_read(timeout=0):
            self._conn.read_response(push_request=True)

    def _apply(self, push):
        if push and push[0] in (b"invalidate", "invalidate"):
            if push[1] is None:  # FLUSHDB / FLUSHALL
                self._values.clear()
            else:
                for name in push[1]:
                    self._values.pop(name, None)


_tracker = _GenerationTracker()


# --- Requests and responses --------------------------------------------------


def exempt(view):
    """Keep this view's responses out of the page cache (e.g. search: each
    query is its own page, and its hits are counted)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.page_cache_exempt = True
        return response

    return wrapped


def _cookies_allowed(request):
    return "HTTP_COOKIE" not in request.META or set(request.COOKIES) <= {
        settings.CSRF_COOKIE_NAME
    }


def _base_key(request):
    """None when this request may neither read nor fill the cache."""
    if (
        not is_enabled()
        or request.method not in ("GET", "HEAD")
        or request.path.startswith(PRIVATE_PREFIXES)
        or "HTTP_AUTHORIZATION" in request.META
        or not _cookies_allowed(request)
    ):
        return None
    # The address as `build_absolute_uri` spells it, without its general
    # case's parsing; get_host() refuses a host outside ALLOWED_HOSTS.
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    if len(url) > MAX_URL_LENGTH:
        return None
    return f"pagecache:{hashlib.sha256(url.encode()).hexdigest()}"


def _ignored_vary_headers():
    # Cookie: only requests without a session cookie are served, and only
    # responses that read no cookie are stored. Accept-Language: the site
    # speaks one language, whatever the browser asks.
    ignored = {"cookie"}
    if len(settings.LANGUAGES) == 1:
        ignored.add("accept-language")
    return ignored


def _vary_headers(response):
    if not response.has_header("Vary"):
        return []
    names = [h.strip().lower() for h in cc_delim_re.split(response["Vary"]) if h]
    return [name for name in names if name not in _ignored_vary_headers()]


def _variant_key(base_key, request, vary):
    values = "\n".join(f"{name}:{request.headers.get(name, '')}" for name in vary)
    return f"{base_key}:{hashlib.sha256(values.encode()).hexdigest()}"


CONDITIONAL_HEADERS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _build(entry, request):
    status, headers, content = entry
    response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
    # The headers as the response that was stored had them, checked and
    # encoded when it was made: put back as they were, not set one by one.
    stored = {name.lower(): (name, value) for name, value in headers}
    stored[HIT_HEADER.lower()] = (HIT_HEADER, "hit")
    response.headers._store = stored
    meta = request.META
    if any(name in meta for name in CONDITIONAL_HEADERS):
        # A browser or proxy that holds this very version gets a bare 304.
        return get_conditional_response(
            request, etag=response.get("ETag"), response=response
        )
    return response


def _current(stored, generation):
    """A stored (generation, entry, expiry) triple's entry if still current,
    else None."""
    return stored[1] if stored is not None and stored[0] == generation else None


# --- Each process's copies of the entries it served ----------------------------

# With a shared cache, a hit on a page this process already served reads only
# the two generations (a few bytes, one round trip), not the page again: the
# copy is served while its generations are current and until the entry's own
# expiry, exactly as the shared entry would be.
RECENT_BYTES = 32 * 1024 * 1024
_recent = {}
_recent_bytes = 0
_recent_lock = threading.Lock()


def _size(stored):
    entry = stored[1]
    return len(entry[2]) if entry[0] != "vary" else 100


def _remember(key, stored):
    global _recent_bytes
    if len(stored) < 3:
        return
    with _recent_lock:
        old = _recent.pop(key, None)
        if old is not None:
            _recent_bytes -= _size(old)
        _recent[key] = stored
        _recent_bytes += _size(stored)
        while _recent_bytes > RECENT_BYTES and _recent:
            _recent_bytes -= _size(_recent.pop(next(iter(_recent))))


def _recent_entry(key, generation):
    stored = _recent.get(key)
    if stored is not None and stored[0] == generation and stored[2] > time.time():
        return stored[1]
    return None


_UNASKED = object()


def _lookup(key, generation, found=None):
    """The current entry under `key`: this process's copy, else the shared
    one (taken from `found` when it was read with the generations)."""
    entry = _recent_entry(key, generation)
    if entry is not None:
        return entry
    stored = _UNASKED if found is None else found.get(key, _UNASKED)
    if stored is _UNASKED:
        stored = _cache().get(key)
    entry = _current(stored, generation)
    if entry is not None:
        _remember(key, stored)
    return entry


def fetch(request):
    """The stored response for this request, or None. Leaves on the request
    what `store` needs to fill the cache after a miss: the key, and the
    generation read now, before the page is rendered (a page rendered from
    data a purge has since replaced is stored under a generation already
    gone)."""
    try:
        key = _base_key(request)
        if key is None:
            return None
        # The page itself is read in the same round trip unless this
        # process holds a copy (then only if that copy is no longer current).
        per_process = _per_process()
        held = not per_process and key in _recent
        site, scoped, found = generations(request.path, also=() if held else (key,))
        if site is None or scoped is None:
            return None  # a cache that keeps nothing could never purge
        generation = f"{site}:{scoped}"
        request.page_cache_generations = (site, generation)
        request.page_cache_key = (key, generation)
        if per_process:
            entry = _current(found.get(key), generation)
        else:
            entry = _lookup(key, generation, None if held else found)
        if entry is not None and entry[0] == "vary":
            variant_key = _variant_key(key, request, entry[1])
            if per_process:
                entry = _current(_cache().get(variant_key), generation)
            else:
                entry = _lookup(variant_key, generation)
    except Exception:
        logger.exception("Page cache: reading failed")
        return None
    return None if entry is None else _build(entry, request)


def _directives(response):
    value = response.get("Cache-Control", "")
    return {part.split("=", 1)[0].strip().lower() for part in value.split(",")}


def _storable(request, response):
    directives = _directives(response)
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not getattr(response, "page_cache_exempt", False)
        and "public" in directives
        and not directives & {"private", "no-store", "no-cache"}
        and not response.cookies
        and not (user is not None and user.is_authenticated)
        and not getattr(request, "is_preview", False)
        # A nonce served twice is no nonce.
        and "'nonce-" not in response.get("Content-Security-Policy", "")
        and "*" not in _vary_headers(response)
        and len(response.content) <= MAX_CONTENT_LENGTH
    )


def store(request, response):
    """Keep the response if the request may fill the cache and the response
    is public; mark it as a miss either way."""
    if getattr(request, "page_cache_key", None) is None:
        return response
    key, generation = request.page_cache_key
    try:
        if _storable(request, response):
            if not response.has_header("ETag"):
                digest = hashlib.md5(response.content, usedforsecurity=False)
                response["ETag"] = f'"{digest.hexdigest()}"'
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in ("set-cookie", HIT_HEADER.lower())
            ]
            entry = (response.status_code, headers, response.content)
            timeout = settings.PORTAL_PAGE_CACHE_TIMEOUT
            vary = _vary_headers(response)
            expires = time.time() + timeout
            if vary:
                _cache().set(key, (generation, ("vary", vary), expires), timeout)
                key = _variant_key(key, request, vary)
            stored = (generation, entry, expires)
            _cache().set(key, stored, timeout)
            if not _per_process():
                _remember(key, stored)
    except Exception:
        logger.exception("Page cache: writing failed")
    response[HIT_HEADER] = "miss"
    return response


# --- What pages show: purge when it changes ---------------------------------


def _shown_on_pages(model):
    labels = settings.PORTAL_PAGE_CACHE_PURGE_MODELS
    return (
        issubclass(model, (Page, BaseSiteSetting, BaseGenericSetting))
        or model._meta.label in labels
        or model in get_snippet_models()
    )


def _purge_on_save(sender, instance, created=False, update_fields=None, **kwargs):
    if not _shown_on_pages(sender):
        return
    if created and issubclass(sender, (BaseSiteSetting, BaseGenericSetting)):
        # Settings are created with their defaults on the first page that
        # reads them: that page already showed those defaults.
        return
    if isinstance(instance, Page):
        if not instance.live:  # going offline sends page_unpublished
            return
        if update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS:
            return
    purge_now_and_after_commit()


def _purge_on_delete(sender, **kwargs):
    if _shown_on_pages(sender):
        purge_now_and_after_commit()


def _purge_on_page_change(sender, **kwargs):
    purge_now_and_after_commit()


def _settings_changed(setting, **kwargs):
    # Tests switch caches: the tracking connection follows the cache in use.
    global _thread
    if setting in ("CACHES", "PORTAL_PAGE_CACHE_ALIAS"):
        _thread = threading.local()
        _tracker.forget()


def connect_signals():
    """Called once from `PortalConfig.ready()`. No `sender=`: Wagtail sends
    page signals with the specific page class as sender."""
    post_save.connect(_purge_on_save, dispatch_uid="pagecache-save")
    setting_changed.connect(_settings_changed, dispatch_uid="pagecache-settings")
    post_delete.connect(_purge_on_delete, dispatch_uid="pagecache-delete")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_purge_on_page_change, dispatch_uid=f"pagecache-{id(signal)}")
