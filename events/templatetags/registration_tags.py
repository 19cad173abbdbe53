"""What the event page shows about registration (see
templates/events/registrations/event_block.html)."""

from django import template
from django.utils import timezone

from events.registrations import rules

register = template.Library()


@register.simple_tag
def registration_summary(event, occurrences=None, limit=6):
    """None when the event takes no registration; else the next open
    occurrences with how many seats are left, as an availability band (never
    the number: see `rules.Availability`), or why none is open. Pass the
    occurrences the page already computed: it then costs one query."""
    if getattr(event, "capacity", None) is None:
        return None
    if not isinstance(occurrences, list | tuple):
        occurrences = None  # not given, or missing from the template context
    now = timezone.now()
    reason = rules.event_closed_reason(event, now)
    return {
        "occurrences": []
        if reason
        else rules.public_occurrences(
            event,
            rules.open_occurrences(event, now, limit=limit, occurrences=occurrences),
        ),
        "message": reason.message if reason else "",
        "max_seats": rules.max_seats(event),
    }
