import functools

from django import template
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import Occurrence
from events.programme import groups as agenda_groups
from portal import formats

register = template.Library()


@register.simple_tag
def next_occurrences(limit=3):
    """The next ``limit`` dates of the agenda that are not cancelled (one
    LIMIT query on the stored occurrences)."""
    return list(
        Occurrence.objects.public().not_cancelled().upcoming().with_events()[:limit]
    )


@register.simple_tag
def home_agenda():
    """The home page's cards, one per event, and the next assistance
    permanence (events.programme.groups.home_agenda)."""
    return agenda_groups.home_agenda()


@register.simple_tag
def occurrence_when(occurrence):
    """« samedi 6 décembre 2026, de 9 h 30 à 12 h 00 » (the day in a
    <time>), or « du …, 9 h 30, au …, 12 h 00 » across days. Built here
    rather than in an included template: agenda lists and an event's dates
    show a dozen of them; and written once per process for each span and
    language (the same dates come back on every page that lists them)."""
    return _when(
        occurrence.start,
        occurrence.end,
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )


@functools.lru_cache(maxsize=4096)
def _when(start, end, language, zone):
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        hours = _(", de %(from)s à %(to)s") % {
            "from": conditional_escape(formats.time_of_day(start, html=True)),
            "to": conditional_escape(formats.time_of_day(end, html=True)),
        }
        return format_html(
            '<time datetime="{}">{}</time>{}',
            start.isoformat(),  # what the `c` format writes
            formats.day(start),
            mark_safe(hours),  # noqa: S308 - a translation and escaped values
        )
    return mark_safe(  # noqa: S308 - a translation and escaped values
        _("du %(from_date)s, %(from)s, au %(to_date)s, %(to)s")
        % {
            "from_date": conditional_escape(formats.day(start)),
            "from": conditional_escape(formats.time_of_day(start, html=True)),
            "to_date": conditional_escape(formats.day(end)),
            "to": conditional_escape(formats.time_of_day(end, html=True)),
        }
    )


@register.simple_tag
def month_grid_cell(day):
    """A busy cell of the month grid: its dates (time, linked title,
    « annulé ») and the « + N autres rendez-vous » link to that day's list.
    Built here rather than with template loops and {% blocktranslate %}: a
    busy month has ~90 dates and ~30 such links, and they were most of the
    grid's cost (events.agenda.views.month gives the dates as plain values)."""
    cancelled = format_html(
        ' <strong class="badge-status badge-status--cancelled">{}</strong>',
        _("annulé"),
    )
    items = format_html_join(
        "",
        '<li{}><a href="{}"><span class="month-grid__time">{}</span> {}</a>{}</li>',
        (
            (
                CANCELLED_CLASS if date["cancelled"] else "",
                date["url"],
                date["time"],
                date["title"],
                cancelled if date["cancelled"] else "",
            )
            for date in day["occurrences"]
        ),
    )
    html = format_html("<ul>{}</ul>", items)
    if day["more"]:
        label = ngettext(
            "+ %(count)s autre rendez-vous",
            "+ %(count)s autres rendez-vous",
            day["more"],
        ) % {"count": day["more"]}
        html += format_html(
            '<p class="month-grid__more"><a href="{}">{}'
            '<span class="visually-hidden"> {}</span></a></p>',
            day["day_url"],
            label,
            _("le %(day)s") % {"day": formats.day(day["date"], year=False)},
        )
    return html


CANCELLED_CLASS = mark_safe(' class="month-grid__event--cancelled"')  # noqa: S308
