"""Response headers every page of the site carries, and the visitors' page
cache.

Cache-Control is decided per response, not by path: a response tied to one
visitor (a logged-in user, a form using the CSRF cookie, any cookie being set,
content read from a visitor's session, a preview) is `private, no-store`,
whatever the view said; other successful GET/HEAD answers outside the admin
are `public, s-maxage=…, stale-while-revalidate=…`. Both middlewares sit
above the session, CSRF and messages middlewares, so they see every cookie
those set. The page cache (`portal.pagecache`) keeps only what this decision
made public.
"""

from django.conf import settings
from django.http import Http404
from django.utils.cache import has_vary_header, patch_cache_control
from wagtail import views as wagtail_views

from . import fragments, pagecache, routing
from .views import page_not_found

PRIVATE_PREFIXES = pagecache.PRIVATE_PREFIXES
PUBLIC_STATUSES = (200, 301, 404, 410)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PageCacheMiddleware:
    """Answer from the page cache when it can; otherwise let the rest of the
    stack answer and offer the response to the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cached = pagecache.fetch(request)
        if cached is not None:
            return cached
        return pagecache.store(request, self.get_response(request))


def is_per_visitor(request, response):
    """Whether this response belongs to the visitor who asked for it alone."""
    user = getattr(request, "user", None)
    return bool(
        (user is not None and user.is_authenticated)
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or getattr(request, "is_preview", False)
        or (
            has_vary_header(response, "Cookie")
            and settings.SESSION_COOKIE_NAME in request.COOKIES
        )
    )


class CacheControlMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_per_visitor(request, response):
            directives = response.get("Cache-Control", "")
            if not ("private" in directives and "no-store" in directives):
                response["Cache-Control"] = "private, no-store"
            return response
        if "Cache-Control" in response.headers:
            return response
        if self._is_public(request, response):
            max_age = settings.PUBLIC_CACHE_MAX_AGE
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=max_age,
                stale_while_revalidate=max_age * 2,
            )
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @staticmethod
    def _is_public(request, response):
        return (
            request.method in ("GET", "HEAD")
            and response.status_code in PUBLIC_STATUSES
            and not request.path.startswith(PRIVATE_PREFIXES)
        )


class RouteCacheMiddleware:
    """The page a public path leads to, kept under the page cache's
    generation (`portal.fragments.cached_route`), else found in two queries
    (`portal.routing`) when Wagtail's `serve` is about to route it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PRIVATE_PREFIXES):
            fragments.cached_route(request)
            # The site and its root paths, kept per process, before anything
            # asks Wagtail for them (a view's `{% pageurl %}` would ask the
            # database for the site, and the cache for its root paths).
            routing.find_site(request)
        response = self.get_response(request)
        if response.status_code == 200:
            fragments.keep_route(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_views.serve:
            path = view_kwargs["path"] if "path" in view_kwargs else view_args[0]
            routing.route(request, path)
        return None


class FrenchNotFoundMiddleware:
    """In development, show visitors the site's own French 404 page rather than
    Django's technical one (set PORTAL_TECHNICAL_404 = True to get it back)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and not getattr(
            settings, "PORTAL_TECHNICAL_404", False
        ):
            return page_not_found(request, exception)
        return None
