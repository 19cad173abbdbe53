"""Template tags of the learning paths: the featured paths of the home page."""

from django import template

from resources.models import LearningPathPage

register = template.Library()

FEATURED_COUNT = 3


@register.simple_tag
def featured_paths(count=FEATURED_COUNT):
    return list(
        LearningPathPage.objects.live().public().order_by("-first_published_at")[:count]
    )
