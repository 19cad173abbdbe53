"""Site-wide views: search, robots.txt, the health check and the error pages."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from . import health, pagecache, ratelimit
from .inputguard import plain_words
from .pagination import requested_page

SEARCH_MAX_LENGTH = 200
SEARCH_PER_PAGE = 10
SEARCH_LOG_MAX_LENGTH = 100


def _clean_query(raw):
    """Markup and query syntax are dropped and the length capped: what is
    left is plain words."""
    return plain_words(strip_tags(raw or ""), SEARCH_MAX_LENGTH)


@require_safe
@pagecache.exempt
def search(request):
    raw = request.GET.get("q", "")
    query = _clean_query(raw)
    message = ""
    results = None
    if not query:
        if raw.strip():
            message = _("Votre recherche ne contient aucun mot utilisable.")
        elif "q" in request.GET:
            message = _("Saisissez un ou plusieurs mots à rechercher.")
    else:
        ratelimit.hit_address(request, "search-address")
        if len(" ".join(raw.split())) > SEARCH_MAX_LENGTH:
            message = _(
                "Votre recherche était très longue : seuls les %(n)s premiers "
                "caractères ont été pris en compte."
            ) % {"n": SEARCH_MAX_LENGTH}
        pages = Page.objects.live().public().specific().search(query)
        results = Paginator(pages, SEARCH_PER_PAGE).get_page(
            requested_page(request.GET.get("page"))
        )
        _log_query(query, results.paginator.count)
    return render(
        request,
        "portal/search.html",
        {"search_query": query, "results": results, "message": message},
    )


def _log_query(query, found):
    """The search log (for promoted results) stays bounded: only short
    queries that found something, and no new query once it holds
    SEARCH_LOG_MAX_QUERIES of them (a script cannot grow it forever)."""
    if not found or len(query) > SEARCH_LOG_MAX_LENGTH:
        return
    limit = getattr(settings, "SEARCH_LOG_MAX_QUERIES", 5000)
    known = Query.objects.filter(query_string=normalise_query_string(query))
    if not known.exists() and Query.objects.count() >= limit:
        return
    Query.get(query).add_hit()


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /recherche/",
        "Disallow: /*/inscription/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )


@require_safe
@pagecache.exempt
def health_check(request):
    """/sante/ for the proxy and monitoring: 200 when this instance can serve,
    503 otherwise (rule in portal.health); never cached."""
    healthy, body = health.report()
    response = JsonResponse(body, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store, private"
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors beyond the bare minimum: the database may be down.
    response = render(request, "500.html", {"site_name": settings.WAGTAIL_SITE_NAME})
    response.status_code = 500
    return response
