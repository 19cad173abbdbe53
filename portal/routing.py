"""The page a public path leads to, found in two queries whatever its depth.

Wagtail routes a path one tree level at a time: the site's root page made
specific, then for each segment a child look-up by slug and its `.specific`
(two queries a level: four for an event page under the agenda). Every page
also stores its `url_path` (its ancestors' slugs from the tree root), kept
by Wagtail whenever a page is saved or moved; so the pages a path names are
read here in one query on `url_path`, each checked to be the child, with that
slug, of the page found one level up (a stale or duplicated `url_path` only
ends the walk early: Wagtail's own routing takes over from there). The page
reached is then made specific in one query (its class's `routing_queryset`,
if any, with what its page shows) and routed by its own `route()` for the
rest of the path, so that a routable page's sub-routes, a draft's 404 and
every check Wagtail's `serve` makes afterwards (view restrictions, the
`before_serve_page` hooks) stay Wagtail's. The walk stops at any page whose
class routes its children itself (a `RoutablePageMixin` page: its sub-routes
come before its children), unless the class says its `route()` only finds a
child by slug (`routes_children_by_slug`).

What every page reads about the site as a whole (the `Site` a host names,
whether any page carries a view restriction, the menu's pages…) changes only
with a whole purge of the page cache (`portal.pagecache`: a page published,
moved or deleted, a snippet, a setting, a `Site` or a view restriction saved
or deleted). `site_memo` keeps such values in each process under the site's
generation, read once per request (or already read by the page or fragment
cache): a purge makes every process compute them again. With a cache each
process keeps apart (local memory, as under `make run` and in tests), no
generation travels between processes: nothing is kept.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import Http404
from wagtail.models import Page, PageViewRestriction, Site

from . import fragments, pagecache
from .prepared import prepared_query

logger = logging.getLogger(__name__)

# --- Per process, under the site's generation ---------------------------------

# (site generation, {key: value}); replaced whole when the generation moves on.
_memo = (None, {})


def site_generation(request):
    """The page cache's site generation for this request (read once), or
    None when it cannot tell what other processes changed: a cache each
    process keeps apart (its generation lives in the database, and only
    while a cache is on)."""
    if request is None or isinstance(
        caches[settings.PORTAL_PAGE_CACHE_ALIAS], LocMemCache
    ):
        return None
    known = getattr(request, "page_cache_generations", None)
    if known is not None:
        return known[0]
    if not hasattr(request, "_portal_site_generation"):
        current = fragments.generation(request, site_wide=True)
        if current is None:
            # The shared cache holds the generation whether the caches are
            # on or not: every purge replaces it there.
            try:
                current = pagecache.generations(request.path)[0]
            except Exception:
                logger.exception("Site memo: reading the generation failed")
        request._portal_site_generation = current
    return request._portal_site_generation


def site_memo(request, key, compute):
    """`compute()`, kept in this process while the site's generation stays
    the one this request read (computed afresh when there is none). Only
    for what a whole purge of the page cache follows, and read-only."""
    global _memo
    generation = site_generation(request)
    if generation is None:
        return compute()
    kept_generation, values = _memo
    if kept_generation != generation:
        values = {}
        _memo = (generation, values)
    try:
        return values[key]
    except KeyError:
        value = values[key] = compute()
        return value


def find_site(request):
    """`Site.find_for_request`, the site kept per process (`site_memo`)."""
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        hostname, port = request._get_raw_host(), request.get_port()
        request._wagtail_site = site_memo(
            request, ("site", hostname, port), lambda: Site._find_for_request(request)
        )
    if not hasattr(request, "_wagtail_cached_site_root_paths"):
        # What `Page.get_url_parts` reads (Wagtail keeps it in the cache:
        # a round trip to Redis per request); a Site saved or a page moved
        # purges the page cache, and with it this memo.
        try:
            request._wagtail_cached_site_root_paths = site_memo(
                request, "site-root-paths", Site.get_site_root_paths
            )
        except Exception:
            # The cache is down: the pages that need them will say so; the
            # others (the health check's 503) go on without.
            logger.exception("Site memo: reading the site root paths failed")
    return request._wagtail_site


def has_view_restrictions(request):
    """Whether any page of the tree carries a view restriction (kept per
    process: a restriction saved or deleted purges the page cache)."""
    return site_memo(
        request,
        "view-restrictions",
        lambda: PageViewRestriction.objects.exists(),
    )


def known_unrestricted(request):
    """Whether this process knows, without a query, that no page of the tree
    carries a view restriction: only under the site memo. Without it (a
    cache each process keeps apart), asking would cost the query that a
    `.public()` condition inside the same query does not."""
    return site_generation(request) is not None and not has_view_restrictions(request)


def ancestors(request, page):
    """The page's ancestors below the tree's root, from the home page down
    (kept per process: moving a page purges the page cache)."""
    return site_memo(
        request,
        ("ancestors", page.path),
        lambda: tuple(page.get_ancestors().filter(depth__gt=1)),
    )


def _no_view_restrictions():
    return PageViewRestriction.objects.none()


# --- Routing ------------------------------------------------------------------


def routes_children_by_slug(page_class):
    return page_class.route is Page.route or getattr(
        page_class, "routes_children_by_slug", False
    )


@prepared_query
def _pages_at(url_paths):
    return Page.objects.filter(url_path__in=url_paths)


@prepared_query
def _specific_page(pk, *, page_class):
    queryset = getattr(page_class, "routing_queryset", None)
    queryset = queryset() if queryset else page_class.objects.all()
    return queryset.filter(pk=pk)[:1]


def _chain(root, components):
    """The root page and the pages the leading `components` name below it,
    each the child with that slug of the one before (a page of another
    site with the same `url_path` is not below the root: left out here)."""
    chain = [root]
    if not components:
        return chain
    prefixes = [
        root.url_path + "".join(f"{c}/" for c in components[:k])
        for k in range(1, len(components) + 1)
    ]
    by_depth = {}
    for page in _pages_at(prefixes):
        by_depth.setdefault(page.depth, []).append(page)
    for slug in components:
        parent = chain[-1]
        if not routes_children_by_slug(parent.specific_class or Page):
            break
        children = [
            page
            for page in by_depth.get(parent.depth + 1, ())
            if page.slug == slug and page.path[: -Page.steplen] == parent.path
        ]
        if len(children) != 1:
            break
        children[0]._cached_parent_obj = parent
        chain.append(children[0])
    return chain


def _specific(page):
    page_class = page.specific_class
    if page_class is None or page_class is Page:
        return page
    found = _specific_page(page.pk, page_class=page_class)
    if not found:  # deleted meanwhile
        raise Http404
    specific = found[0]
    parent = page.__dict__.get("_cached_parent_obj")
    if parent is not None:
        specific._cached_parent_obj = parent
    return specific


def route(request, path):
    """Set the route Wagtail's `serve` reads (`request._wagtail_route_for_request`)
    for this request's path, when this module can find it (one site, no
    localisation)."""
    if hasattr(request, "_wagtail_route_for_request") or getattr(
        settings, "WAGTAIL_I18N_ENABLED", False
    ):
        return
    site = find_site(request)
    if site is None:
        return
    components = [component for component in path.split("/") if component]
    chain = _chain(site.root_page, components)
    try:
        result = _specific(chain[-1]).route(request, components[len(chain) - 1 :])
    except Http404:
        result = None
    if result is not None and not has_view_restrictions(request):
        # Wagtail's `serve` asks the page for its restrictions and those of
        # its ancestors (two queries): with none in the tree, it is told so.
        result[0].get_view_restrictions = _no_view_restrictions
    request._wagtail_route_for_request = result
