"""Public agenda views that are not Wagtail pages: the month grid, the whole
agenda and one event as iCalendar. They stay thin: dates come from the
stored occurrences (``Occurrence.objects``), filters from
``AgendaFilters``, documents from events.agenda.ical."""

import calendar
import datetime

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.agenda import ical, recurrence
from events.models import (
    AgendaFilters,
    EventCalendarEntry,
    EventIndexPage,
    EventPage,
    InvalidFilter,
    Occurrence,
    any_view_restriction,
    month_url,
)
from portal import formats, routing
from portal.prepared import prepared_query

# agenda.ics holds the events with a date from this long ago onwards; older
# history stays on the archive pages.
ICS_HISTORY = datetime.timedelta(days=92)


@prepared_query
def _live_agendas():
    return EventIndexPage.objects.live().order_by("pk")[:1]


def _index_page(request):
    """The live agenda a visitor may see (the first, as Wagtail's
    `.first()` would give it)."""
    if routing.known_unrestricted(request):
        found = _live_agendas()
        return found[0] if found else None
    return EventIndexPage.objects.live().public().order_by("pk").first()


def bad_filter_response(error):
    """The French 400 of a feed asked for a filter that names nothing."""
    return HttpResponseBadRequest(
        error.message, content_type="text/plain; charset=utf-8"
    )


# A day of the grid lists this many dates (a médiathèque rarely holds
# more); the others are one link away (the agenda's list of that day), so a
# busy month stays readable on a phone and costs the same to draw however
# many events share a day.
MONTH_DAY_LIMIT = 2


@require_safe
def month(request, year, month):
    """The month grid /agenda/calendrier/<année>/<mois>/."""
    if not (1 <= month <= 12 and year in recurrence.KEY_YEARS):
        raise Http404(_("Ce mois n'existe pas dans l'agenda."))
    index_page = _index_page(request)
    if index_page is None:
        raise Http404(_("L'agenda n'est pas publié."))
    first_day = datetime.date(year, month, 1)
    next_first = (first_day + datetime.timedelta(days=32)).replace(day=1)
    previous_last = first_day - datetime.timedelta(days=1)
    start, end = recurrence.month_bounds(year, month)

    # What a cell shows, read as plain values: no page objects are built
    # for the dates of a busy month. Events are children of the agenda.
    agenda_url = index_page.url
    rows = (
        Occurrence.objects.public()
        .between(start, end)
        .values_list("start", "is_cancelled", "event__title", "event__slug")
    )
    by_day = {}
    for occ_start, cancelled, title, slug in rows:
        local_start = timezone.localtime(occ_start)
        by_day.setdefault(local_start.date(), []).append(
            {
                "start": local_start,
                "title": title,
                "url": f"{agenda_url}{slug}/",
                "cancelled": cancelled,
            }
        )

    today = timezone.localdate()
    times = {}  # « 9 h 30 », formatted once per time of day
    weeks = [
        [_grid_day(day, month, today, by_day, agenda_url, times) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    month_name = formats.month(first_day)
    context = {
        "page": index_page,
        "self": index_page,
        "weeks": weeks,
        "day_names": formats.weekday_names(),
        "month_label": month_name,
        "year": year,
        "month": month,
        "count": sum(len(v) for v in by_day.values()),
        "previous": {
            "url": month_url(previous_last.year, previous_last.month),
            "label": formats.month(previous_last),
        },
        "next": {
            "url": month_url(next_first.year, next_first.month),
            "label": formats.month(next_first),
        },
        "today_url": month_url(today.year, today.month),
    }
    return render(request, "events/agenda/month.html", context)


def _grid_day(day, month, today, by_day, agenda_url, times):
    dates = by_day.get(day, []) if day.month == month else []
    for shown in dates[:MONTH_DAY_LIMIT]:
        start = shown["start"]
        key = (start.hour, start.minute)
        if key not in times:
            times[key] = formats.time_of_day(start, html=True)
        shown["time"] = times[key]
    return {
        "date": day,
        "in_month": day.month == month,
        "is_today": day == today,
        "occurrences": dates[:MONTH_DAY_LIMIT],
        "more": len(dates) - MONTH_DAY_LIMIT if len(dates) > MONTH_DAY_LIMIT else 0,
        "day_url": f"{agenda_url}?jour={day.isoformat()}",
    }


def _with_calendar_relations(events):
    return events.select_related("event_type", "venue").prefetch_related(
        "cancellations", "extra_dates"
    )


@require_safe
def agenda_ics(request):
    """The public events with a date from three months ago onwards, each
    with its whole recurrence (RRULE, EXDATE, RDATE), filtered like the
    agenda page. Each event's VEVENTs were serialised when it changed
    (events.agenda.occurrences): this joins text, whatever the number of events."""
    try:
        filters = AgendaFilters.from_params(request.GET, strict=True)
    except InvalidFilter as error:
        return bad_filter_response(error)
    since = timezone.now() - ICS_HISTORY
    # Entries exist for live events only (events.agenda.occurrences); their span
    # columns find the window along an index, without reading the dates.
    entries = EventCalendarEntry.objects.filter(last_end__gte=since)
    if filters or any_view_restriction():
        entries = entries.filter(
            event__in=filters.apply_to_events(EventPage.objects.live().public())
        )
    texts = entries.order_by("first_start", "event_id").values_list(
        "vevents", flat=True
    )
    content = ical.stored_calendar(texts)
    return ical.calendar_response(content, "agenda.ics")


@require_safe
def event_ics(request, slug):
    """One event alone, with its recurrence, as an iCalendar file."""
    event = _with_calendar_relations(
        EventPage.objects.live().public().filter(slug=slug).order_by("path")
    ).first()
    if event is None:
        raise Http404(_("Cet événement n'existe pas ou n'est plus publié."))
    return ical.calendar_response(
        ical.event_calendar([event], request, name=event.title), "evenement.ics"
    )
