"""Template tags of the practical guides (home page selection)."""

from django import template

from resources.models.guides import GuidePage, card_image_prefetch

register = template.Library()


@register.simple_tag
def latest_guides(limit=3):
    """The most recently published guides, for the home page."""
    return list(
        GuidePage.objects.live()
        .public()
        .prefetch_related(card_image_prefetch())
        .order_by("-first_published_at")[:limit]
    )


@register.simple_tag(takes_context=True)
def guide_index_url(context):
    from resources.models.guides import GuideIndexPage

    index = GuideIndexPage.objects.live().first()
    return index.get_url(context.get("request")) if index else ""
