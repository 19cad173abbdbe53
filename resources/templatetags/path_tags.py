"""Template tags of the learning paths: the featured paths of the home page."""

from django import template
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction

from resources.models import LearningPathPage

register = template.Library()

FEATURED_COUNT = 3


@register.simple_tag
def featured_paths(count=FEATURED_COUNT):
    # Same result as `.public()`, in the one query: a path is left out when it
    # or one of its ancestors carries a view restriction. The home page
    # shows several apps' lists, so each must cost a single query.
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return list(
        LearningPathPage.objects.live()
        .filter(~Exists(restricted))
        .order_by("-first_published_at")[:count]
    )
