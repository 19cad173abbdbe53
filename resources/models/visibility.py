"""Which pages the public may see, in the query that lists them.

Rule: the same pages as Wagtail's `.public()` (a page is left out when it or
one of its ancestors carries a view restriction), but as a condition of the
one query: `.public()` first reads every restriction of the site in a query
of its own, for each list on the page.
"""

import functools

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction


@functools.cache
def _not_restricted():
    # Built once: the expression is resolved on a copy in each query, and
    # building it costs about as much as compiling it.
    return ~Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
    )


def without_view_restrictions(pages):
    """`pages` (a page queryset) without the restricted ones."""
    return pages.filter(_not_restricted())
