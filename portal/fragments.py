"""Rendered fragments of public pages, kept under the page cache's generation.

The page cache (`portal.pagecache`) serves a whole response only to a visitor
without cookies. Everyone else (a visitor with a session cookie, a logged-in
editor, a form page with its CSRF token, every page when
`PORTAL_PAGE_CACHE=off`) pays the full render, although most of it (the
menu, the footer, an event's description, dates and seats) is the same for
everyone. `{% fragment "name" key… %}…{% endfragment %}` keeps such a part,
rendered, in the same cache and under the same generations as the page
cache: whatever purges the page cache (a page published, a snippet, a
setting, a badge…, see `PORTAL_PAGE_CACHE_PURGE_MODELS`) makes every
fragment stale at once, in every process; a scoped purge (a registration:
its event's pages and the listings) makes stale the fragments of the pages
in its scopes, and the fragments shown on every page are marked `site_wide`
(menu, footer: they show nothing a scoped purge changes, and are kept across
pages of every scope). Fragments expire after
`PORTAL_PAGE_CACHE_TIMEOUT` seconds like pages, so time-based content
(« prochaines dates », seats, registration opening) is no staler than what
the page cache would serve anyway.

Only parts that are the same for every visitor may be wrapped: nothing
reading the user, the session, messages or the query string unless it is
part of the key. A `{% csrf_token %}` inside is kept as a placeholder and
replaced by the visitor's own token. Only GET and HEAD requests use it (a
posted form shows its errors), never a preview.
`PORTAL_FRAGMENT_CACHE=off` switches it off (tests run without it, so what
they measure is the render itself).
"""

import functools
import hashlib
import logging
import re

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token

from . import pagecache

logger = logging.getLogger(__name__)

# Stands for the visitor's CSRF token inside a kept fragment.
CSRF_PLACEHOLDER = "portal-fragment-csrf-7f3c9d1e"


def is_enabled():
    return getattr(settings, "PORTAL_FRAGMENT_CACHE", False)


def _generations(request, also):
    """(site generation, generation of this request's page) and the values of
    `also` when read in the same round trip (else None). Read once per
    request, and not at all when the page cache read them already."""
    current = getattr(request, "page_cache_generations", None)
    if current is None:
        current = getattr(request, "_fragment_generations", None)
    if current is not None:
        return current, None
    try:
        site, scoped, found = pagecache.generations(request.path, also)
        if site is None or scoped is None:
            current = (None, None)
        else:
            current = (site, f"{site}:{scoped}")
    except Exception:
        logger.exception("Fragment cache: reading the generation failed")
        current, found = (None, None), None
    request._fragment_generations = current
    return current, found


def generation(request, also=(), site_wide=False):
    """The generation fragments of this request are kept under (the page's,
    or the site's alone for a `site_wide` fragment), or None when fragments
    may not be used for it. `also`: keys read in the same round trip; with
    them, returns (generation, {key: value})."""
    if (
        request is None
        or not is_enabled()
        or request.method not in ("GET", "HEAD")
        or getattr(request, "is_preview", False)
    ):
        return (None, {}) if also else None
    (site, page), found = _generations(request, also)
    current = site if site_wide else page
    if not also:
        return current
    if current is None:
        return None, {}
    if found is None:
        try:
            found = pagecache._cache().get_many(list(also))
        except Exception:
            logger.exception("Fragment cache: reading failed")
            found = {}
    return current, {
        k: stored[1]
        for k, stored in found.items()
        if k in also and stored is not None and stored[0] == current
    }


def key(name, parts):
    digest = hashlib.sha256("\n".join(str(p) for p in parts).encode()).hexdigest()
    return f"fragment:{name}:{digest}"


def get_or_render(request, name, parts, render, site_wide=False):
    """The HTML of fragment `name` for `parts` (strings), from the cache when
    it holds it for the current generation, else `render()` (kept)."""
    cache_key = key(name, parts)
    current, found = generation(request, also=(cache_key,), site_wide=site_wide)
    if current is None:
        return render()
    if cache_key in found:
        return found[cache_key]
    html = render()
    try:
        pagecache._cache().set(
            cache_key, (current, html), settings.PORTAL_PAGE_CACHE_TIMEOUT
        )
    except Exception:
        logger.exception("Fragment cache: writing failed")
    return html


# --- Routes: the site and the page a path leads to ---------------------------


def _keep(request, cache_key, value, site_wide=False):
    current = generation(request, site_wide=site_wide)
    if current is None:
        return
    try:
        pagecache._cache().set(
            cache_key, (current, value), settings.PORTAL_PAGE_CACHE_TIMEOUT
        )
    except Exception:
        logger.exception("Fragment cache: keeping %s failed", cache_key)


def cached_route(request):
    """Give Wagtail the site this host names and the page this path led to
    under the current generation (it reads `request._wagtail_site` and
    `request._wagtail_route_for_request` before looking them up), sparing
    the look-ups from the home page down. Plain page routes only: a routable
    page's sub-route (a view with arguments) is routed again each time."""
    if request.method not in ("GET", "HEAD"):
        return
    try:
        raw_host = request._get_raw_host()
        site_key = key("site", [raw_host, request.get_port()])
        route_key = key("route", [request.get_host(), request.path_info])
    except Exception:  # DisallowedHost: Django answers it further down
        return
    # The page a path leads to changes only with the tree: a whole purge.
    current, found = generation(request, also=(site_key, route_key), site_wide=True)
    if current is None:
        return
    request._portal_route_keys = (site_key, route_key)
    if site_key in found:
        request._wagtail_site = found[site_key]
        request._portal_site_cached = True
    if route_key in found:
        request._wagtail_route_for_request = found[route_key]
        request._portal_route_cached = True


def keep_route(request):
    keys = getattr(request, "_portal_route_keys", None)
    if keys is None or getattr(request, "is_preview", False):
        return
    site_key, route_key = keys
    site = getattr(request, "_wagtail_site", None)
    if site is not None and not getattr(request, "_portal_site_cached", False):
        _keep(request, site_key, site, site_wide=True)
    result = getattr(request, "_wagtail_route_for_request", None)
    if result is None or getattr(request, "_portal_route_cached", False):
        return
    page, args, kwargs = result
    if not args and not kwargs:
        _keep(request, route_key, result, site_wide=True)


# --- Whole form pages ------------------------------------------------------------

CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


def form_page(name):
    """Keep the whole page of a form view shown on GET (its fields, the
    dates and seats it offers), with the CSRF token as a placeholder, and
    serve it again to visitors without a session, each with their own token
    (which sets their CSRF cookie as the rendered page would). A POST, a
    visitor with any other cookie (a session may carry messages) or a
    logged-in user always gets the view itself."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not pagecache._cookies_allowed(request):
                return view(request, *args, **kwargs)
            cache_key = key(f"form:{name}", [request.build_absolute_uri()])
            current, found = generation(request, also=(cache_key,))
            if current is None:
                return view(request, *args, **kwargs)
            if cache_key in found:
                status, headers, content = found[cache_key]
                token = get_token(request).encode()
                response = HttpResponse(
                    content.replace(CSRF_PLACEHOLDER.encode(), token), status=status
                )
                for header, value in headers:
                    response[header] = value
                return response
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                if hasattr(response, "render"):
                    response.render()
                html = response.content.decode()
                kept, count = CSRF_VALUE.subn(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", html)
                if count and CSRF_PLACEHOLDER not in html:
                    headers = [
                        (header, value)
                        for header, value in response.items()
                        if header.lower() not in ("set-cookie", "content-length")
                    ]
                    _keep(request, cache_key, (200, headers, kept.encode()))
            return response

        return wrapped

    return decorator
