"""Template tags of the practical guides (home page selection)."""

from django import template

from resources.models.guides import GuidePage, with_card_images
from resources.models.visibility import without_view_restrictions

register = template.Library()


@register.simple_tag
def latest_guides(limit=3):
    """The most recently published guides, for the home page."""
    return list(
        with_card_images(without_view_restrictions(GuidePage.objects.live())).order_by(
            "-first_published_at"
        )[:limit]
    )


@register.simple_tag(takes_context=True)
def guide_index_url(context):
    """The guide list's URL, found among the home page's children that the
    header has already loaded for this request: no extra query."""
    from portal.templatetags.portal_tags import _top_pages
    from resources.models.guides import GuideIndexPage

    for page in _top_pages(context):
        if page.specific_class is GuideIndexPage:
            return page.get_url(context.get("request"))
    return ""
