"""Template tags to show volunteers on any page: the directory's address,
computed once per request."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def volunteer_directory_url(context):
    """The public directory's URL, or "" when it is not published."""
    request = context.get("request")
    cache = getattr(request, "_volunteer_directory_url", None) if request else None
    if cache is not None:
        return cache
    from volunteers.models import VolunteerIndexPage

    page = VolunteerIndexPage.objects.live().public().first()
    url = page.get_url(request) if page else ""
    if request is not None:
        request._volunteer_directory_url = url
    return url
