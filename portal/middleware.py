"""Response headers every page of the site carries.

Public pages are cacheable by a shared cache for a short time; anything that
depends on who asks (a logged-in user, a form with a CSRF token, a cookie
being set) stays private.
"""

from django.conf import settings
from django.utils.cache import has_vary_header, patch_cache_control

PRIVATE_PREFIXES = ("/admin/", "/django-admin/")


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class CacheControlMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
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
        user = getattr(request, "user", None)
        return (
            request.method in ("GET", "HEAD")
            and response.status_code in (200, 301, 404, 410)
            and not request.path.startswith(PRIVATE_PREFIXES)
            and not (user is not None and user.is_authenticated)
            and not response.cookies
            and not has_vary_header(response, "Cookie")
        )


class FrenchNotFoundMiddleware:
    """In development, show visitors the site's own French 404 page rather than
    Django's technical one (set PORTAL_TECHNICAL_404 = True to get it back)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.http import Http404

        if isinstance(exception, Http404) and not getattr(
            settings, "PORTAL_TECHNICAL_404", False
        ):
            from .views import page_not_found

            return page_not_found(request, exception)
        return None
