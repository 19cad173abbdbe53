"""Which pages the public may see, in the query that lists them.

Rule: the same pages as Wagtail's `.public()` (a page is left out when it or
one of its ancestors carries a view restriction), but as a condition of the
one query: `.public()` first reads every restriction of the site in a query
of its own, for each list on the page.
"""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction


def without_view_restrictions(pages):
    """`pages` (a page queryset) without the restricted ones."""
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.filter(~Exists(restricted))
