"""What the event page shows about appointments (see
templates/events/appointments/event_block.html)."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from events.appointments import rules
from portal import formats

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
    hours = _("de %(start)s à %(end)s")
    full = format_html(' <span class="slots__full">({})</span>', _("complet"))
    day_number = int(day_number)
    hour_of = {}  # a slot ends when the next begins: each hour written once
    items = []
    for number, slot in enumerate(slots, start=1):
        key = slot.key
        for moment in (slot.local_start, slot.local_end):
            if moment not in hour_of:
                hour_of[moment] = escape(formats.time_of_day(moment))
        # Every value is escaped or a number: the items are joined as they
        # are rather than each through format_html, which was most of this
        # tag's time.
        items.append(
            SLOT_ITEM.format(
                escape(key),
                day_number,
                number,
                CHECKED if key == chosen else "",
                "" if slot.free else DISABLED,
                day_number,
                number,
                hours
                % {
                    "start": hour_of[slot.local_start],
                    "end": hour_of[slot.local_end],
                },
                "" if slot.free else full,
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - escaped above
