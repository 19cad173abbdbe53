"""What the event page shows about registration (see
templates/events/registration/event_block.html)."""

from django import template
from django.utils import timezone

from events import registration as rules
from events.registration_views import remaining_seats

register = template.Library()


@register.simple_tag
def registration_summary(event, limit=6):
    """None when the event takes no registration; else the next open
    occurrences with their free seats (two queries), or why none is open."""
    if getattr(event, "capacity", None) is None:
        return None
    now = timezone.now()
    occurrences = rules.open_occurrences(event, now, limit=limit)
    remaining = remaining_seats(event, occurrences) if occurrences else {}
    reason = rules.event_closed_reason(event, now)
    return {
        "occurrences": [(o, remaining[o.start]) for o in occurrences],
        "message": reason.message if reason else "",
        "max_seats": rules.max_seats(event),
    }
