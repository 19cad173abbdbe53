from django import template

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
