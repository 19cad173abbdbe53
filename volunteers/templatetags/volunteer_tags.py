"""Template tags to show volunteers on any page: the directory's address,
computed once per request."""

from django import template
from django.contrib.contenttypes.models import ContentType

from portal.templatetags.portal_tags import _top_pages
from volunteers.models import VolunteerIndexPage

register = template.Library()


@register.simple_tag(takes_context=True)
def volunteer_directory_url(context):
    """The public directory's URL, or "" when it is not published. A section
    is a child of the home page: found among the menu's pages, read once per
    request, rather than by a query (and a view-restriction query) of its own."""
    request = context.get("request")
    cache = getattr(request, "_volunteer_directory_url", None) if request else None
    if cache is not None:
        return cache
    if request is None:
        page = VolunteerIndexPage.objects.live().public().first()
    else:
        kind = ContentType.objects.get_for_model(VolunteerIndexPage).pk
        page = next((p for p in _top_pages(context) if p.content_type_id == kind), None)
    url = page.get_url(request) if page else ""
    if request is not None:
        request._volunteer_directory_url = url
    return url
