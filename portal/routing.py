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
"""

from django.conf import settings
from django.http import Http404
from wagtail.models import Page, Site


def routes_children_by_slug(page_class):
    return page_class.route is Page.route or getattr(
        page_class, "routes_children_by_slug", False
    )


def _chain(root, components):
    """The root page and the pages the leading `components` name below it,
    each the child with that slug of the one before."""
    chain = [root]
    if not components:
        return chain
    prefixes = [
        root.url_path + "".join(f"{c}/" for c in components[:k])
        for k in range(1, len(components) + 1)
    ]
    by_depth = {}
    for page in Page.objects.filter(
        url_path__in=prefixes,
        path__startswith=root.path,
        depth__gt=root.depth,
    ):
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
    queryset = getattr(page_class, "routing_queryset", None)
    queryset = queryset() if queryset else page_class.objects.all()
    specific = queryset.filter(pk=page.pk).first()
    if specific is None:  # deleted meanwhile
        raise Http404
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
    site = Site.find_for_request(request)
    if site is None:
        return
    components = [component for component in path.split("/") if component]
    chain = _chain(site.root_page, components)
    try:
        result = _specific(chain[-1]).route(request, components[len(chain) - 1 :])
    except Http404:
        result = None
    request._wagtail_route_for_request = result
