"""What the event page shows about registration (see
templates/events/registrations/event_block.html)."""

from urllib.parse import quote

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from events.registrations import rules
from portal import formats

register = template.Library()

# One open date of the event block, as its template wrote it (whitespace
# included).
DATE_ITEM = (
    "\n                    <li>"
    '\n                        <span class="registration-block__date">{}, {}</span>'
    '\n                        <span class="registration-block__left">{}</span>'
    '\n                        <a class="button" href="{}inscription/?date={}">{}'
    '<span class="visually-hidden"> – {}</span></a>'
    "\n                    </li>\n                "
)


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


@register.filter
def seats_band(availability):
    """An occurrence's seats in a list (« places disponibles », « dernières
    places », « complet, liste d'attente »): a band, never the number."""
    if availability.is_full:
        return mark_safe(_("complet, liste d'attente"))  # noqa: S308 - our text
    if availability.is_last_seats:
        return mark_safe(_("dernières places"))  # noqa: S308 - our text
    return mark_safe(_("places disponibles"))  # noqa: S308 - our text


@register.simple_tag
def registration_dates(summary, event_url):
    """The event block's open dates (`registration_summary`), each with its
    seats band and its link to the form. Built here rather than in a
    template loop with an include: it is most of the block's cost."""
    items = []
    for occurrence, availability in summary["occurrences"]:
        start = occurrence.local_start
        action = _("Liste d'attente") if availability.is_full else _("S'inscrire")
        items.append(
            format_html(
                DATE_ITEM,
                formats.day(start),
                formats.time_of_day(start),
                seats_band(availability),
                event_url,
                quote(occurrence.key, safe=""),
                mark_safe(action),  # noqa: S308 - our text
                formats.long_date(start),
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - built with format_html
