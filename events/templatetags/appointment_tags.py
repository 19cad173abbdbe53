"""What the event page shows about appointments (see
templates/events/appointments/event_block.html)."""

from django import template

from events import appointments as rules

register = template.Library()


@register.simple_tag
def appointment_summary(event, occurrences=None, limit=6):
    """None when the event is not « sur rendez-vous »; else its next free
    slots. Pass the occurrences the page already computed: it then costs two
    queries whatever the number of appointments."""
    if not rules.is_open(event):
        return None
    if not isinstance(occurrences, list | tuple):
        occurrences = None
    return rules.next_free_slots(event, limit=limit, occurrences=occurrences)
