from django import template
from django.utils import timezone

from events.models import Occurrence

register = template.Library()


@register.simple_tag
def next_occurrences(limit=3):
    """The next ``limit`` dates of the agenda that are not cancelled (one
    LIMIT query on the stored occurrences)."""
    return list(
        Occurrence.objects.public().not_cancelled().upcoming().with_events()[:limit]
    )


@register.inclusion_tag("events/includes/occurrence_when.html")
def occurrence_when(occurrence):
    """« samedi 6 décembre 2026, de 9 h 30 à 12 h 00 » in a <time> pair."""
    start, end = occurrence.local_start, occurrence.local_end
    return {
        "occurrence": occurrence,
        "start": start,
        "end": end,
        "same_day": start.date() == end.date(),
    }


@register.filter
def heure(value):
    """French time « 9 h 30 » with non-breaking spaces, in local time."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.hour}\u00a0h\u00a0{local.minute:02d}"
