"""What the event page shows about appointments (see
templates/events/appointments/event_block.html)."""

from django import template
from django.utils.formats import time_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from events.appointments import rules

register = template.Library()

# One slot of a day of the booking form, as its template wrote it
# (whitespace included).
SLOT_ITEM = (
    "\n                    <li>"
    '\n                        <input type="radio" name="slot" value="{}"'
    ' id="creneau-{}-{}"{}{}>'
    '\n                        <label for="creneau-{}-{}">{}{}</label>'
    "\n                    </li>\n                "
)
CHECKED = mark_safe(" checked")  # noqa: S308
DISABLED = mark_safe(" disabled")  # noqa: S308


@register.simple_tag
def appointment_summary(event, limit=6):
    """None when the event is not « sur rendez-vous »; else its next free
    slots, in three queries whatever the number of dates and appointments."""
    if not rules.is_open(event):
        return None
    return rules.next_free_slots(event, limit=limit)


@register.simple_tag
def slot_items(slots, chosen, day_number):
    """The radio buttons of one day's slots (« de 14 h 00 à 14 h 30 », « complet »
    for a taken one), `chosen` checked. Built here rather than in a
    template loop: the form shows a few dozen of them."""
    complete = mark_safe(_("complet"))  # noqa: S308 - our text
    full = format_html(' <span class="slots__full">({})</span>', complete)
    items = []
    for number, slot in enumerate(slots, start=1):
        hours = _("de %(start)s à %(end)s") % {
            "start": conditional_escape(time_format(slot.local_start)),
            "end": conditional_escape(time_format(slot.local_end)),
        }
        items.append(
            format_html(
                SLOT_ITEM,
                slot.key,
                day_number,
                number,
                CHECKED if slot.key == chosen else "",
                "" if slot.free else DISABLED,
                day_number,
                number,
                mark_safe(hours),  # noqa: S308 - a translation and escaped values
                "" if slot.free else full,
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - built with format_html
