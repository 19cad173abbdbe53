"""Read-only public API (Wagtail API v2): pages only.

Each page type lists its public fields in ``api_fields``; nothing personal is
ever declared there. The images and documents endpoints are left out on
purpose: they would list every file of the library, volunteers' photos and
documents of private collections included. `?offset=`, `?limit=` and the
page ids (`?child_of=`…) are read by the site's one integer rule: anything
else than a whole number in range is a French 400, never a database error;
`?search=` is read as plain words, as the site's search is.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from .inputguard import MAX_ID, bounded_int, plain_words

# Far beyond the number of pages the site will ever hold, and far within
# what every database takes as an integer.
MAX_OFFSET = 1_000_000
DEFAULT_LIMIT = 20


def _parameter(request, name, default, maximum):
    """`?offset=` / `?limit=` read by the site's one integer rule
    (`bounded_int`): anything else than a whole number from 0 to `maximum`
    is a 400 whose message says what is expected, in French."""
    value = request.GET.get(name)
    if value is None:
        return default
    number = bounded_int(value, 0, maximum)
    if number is None:
        raise BadRequestError(
            _("« %(name)s » doit être un nombre entier entre 0 et %(max)s.")
            % {"name": name, "max": maximum}
        )
    return number


class BoundedPagination(WagtailPagination):
    """Wagtail's paging, with its two numbers read by `_parameter`."""

    def paginate_queryset(self, queryset, request, view=None):
        limit_max = getattr(settings, "WAGTAILAPI_LIMIT_MAX", None) or MAX_OFFSET
        offset = _parameter(request, "offset", 0, MAX_OFFSET)
        limit = _parameter(request, "limit", min(DEFAULT_LIMIT, limit_max), limit_max)
        self.view = view
        self.total_count = queryset.count()
        return queryset[offset : offset + limit]


class _WithQuery:
    """The request as the search filter reads it, with another query string."""

    def __init__(self, request, query):
        self._request = request
        self.GET = query

    def __getattr__(self, name):
        return getattr(self._request, name)


class PlainWordsSearchFilter(SearchFilter):
    def filter_queryset(self, request, queryset, view):
        if "search" in request.GET:
            query = request.GET.copy()
            query["search"] = plain_words(query["search"])
            request = _WithQuery(request, query)
        return super().filter_queryset(request, queryset, view)


# Page ids the filters read; all but `ancestor_of` also take « root ».
PAGE_ID_PARAMETERS = ("child_of", "descendant_of", "ancestor_of", "translation_of")


def check_page_ids(request):
    """The page ids of the query string read by `bounded_int`, before
    Wagtail's filters read them with `int()`: a French 400 for anything
    else than an id (or « root » where Wagtail takes it)."""
    for name in PAGE_ID_PARAMETERS:
        value = request.GET.get(name)
        if value is None or (value == "root" and name != "ancestor_of"):
            continue
        if bounded_int(value, 1, MAX_ID) is None:
            raise BadRequestError(
                _("« %(name)s » doit être le numéro d'une page.") % {"name": name}
            )


class PublicPagesAPIViewSet(PagesAPIViewSet):
    pagination_class = BoundedPagination
    filter_backends = [
        PlainWordsSearchFilter if backend is SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]

    def listing_view(self, request):
        check_page_ids(request)
        return super().listing_view(request)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
