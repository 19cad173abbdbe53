"""What the event page shows about appointments (see
templates/events/appointments/event_block.html)."""

from django import template

from events.appointments import rules

register = template.Library()


@register.simple_tag
def appointment_summary(event, limit=6):
    """None when the event is not « sur rendez-vous »; else its next free
    slots, in three queries whatever the number of dates and appointments."""
    if not rules.is_open(event):
        return None
    return rules.next_free_slots(event, limit=limit)
