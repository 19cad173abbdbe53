"""Paging a list that may be long without counting all of it.

Django's ``Paginator`` counts every row before it can say « page 3 sur
N »: over years of archive that COUNT grows with the history, while the
page shown stays twelve rows. ``LookaheadPaginator`` counts only as far as a
few pages past the one asked for, so a page costs what its depth costs,
whatever lies beyond; the template says « page 3 » and links to the next
page, without the total (``is_exact`` tells whether the count is the real
one, i.e. the end of the list is within reach).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .inputguard import bounded_int

__all__ = ["LookaheadPaginator", "requested_page"]

# Pages counted past the requested one.
LOOKAHEAD_PAGES = 3
# A page number past this is read as this one: the deepest page anyone can
# ask for costs a bounded count (12 rows a page: 12,000 dates back).
MAX_PAGE = 1000


def requested_page(number):
    """The page asked for (``?page=``) as a positive integer, at most
    ``MAX_PAGE``; 1 for anything that is not a whole number (the paginator's
    own ``get_page`` then handles a page past the end)."""
    return bounded_int(number, 1, MAX_PAGE, clamp=True) or 1


class LookaheadPaginator(Paginator):
    def __init__(self, object_list, per_page, *, number, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = (requested_page(number) + LOOKAHEAD_PAGES) * per_page + 1

    @cached_property
    def count(self):
        # COUNT over ``LIMIT n``: the database stops after n rows.
        return self.object_list[: self.limit].count()

    @property
    def is_exact(self):
        return self.count < self.limit
