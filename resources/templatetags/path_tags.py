"""Template tags of the learning paths: the featured paths of the home page."""

from django import template

from resources.models import LearningPathPage
from resources.models.visibility import without_view_restrictions

register = template.Library()

FEATURED_COUNT = 3


@register.simple_tag
def featured_paths(count=FEATURED_COUNT):
    # The home page shows several apps' lists, so each must cost a single
    # query.
    return list(
        without_view_restrictions(LearningPathPage.objects.live()).order_by(
            "-first_published_at"
        )[:count]
    )
