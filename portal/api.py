"""Read-only public API (Wagtail API v2): pages only.

Each page type lists its public fields in ``api_fields``; nothing personal is
ever declared there. The images and documents endpoints are left out on
purpose: they would list every file of the library, volunteers' photos and
documents of private collections included. Offsets beyond any real listing
are a 400, not a database error; `?search=` is read as plain words, as the
site's search is.
"""

from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from .inputguard import plain_words

# Far beyond the number of pages the site will ever hold, and far within
# what every database takes as an integer.
MAX_OFFSET = 1_000_000


class BoundedPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "0").strip()
        # Length first: Python refuses to read an integer of 4,300+ digits.
        too_long = len(offset) > len(str(MAX_OFFSET))
        if offset.isdigit() and (too_long or int(offset) > MAX_OFFSET):
            raise BadRequestError(
                f"offset trop grand : au plus {MAX_OFFSET} "
                f"(offset cannot be higher than {MAX_OFFSET})"
            )
        return super().paginate_queryset(queryset, request, view)


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


class PublicPagesAPIViewSet(PagesAPIViewSet):
    pagination_class = BoundedPagination
    filter_backends = [
        PlainWordsSearchFilter if backend is SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
