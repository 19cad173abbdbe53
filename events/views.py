"""Public agenda views: the list of upcoming dates (on the index page), the
month grid and the whole agenda as iCalendar. They stay thin: occurrences
come from events.recurrence, documents from events.ical."""

import calendar
import datetime

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from events import cache, ical, recurrence
from events.models import AUDIENCE_CHOICES

PER_PAGE = 12
MONTH_NAMES = [
    "",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
DAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def public_events(index_page=None):
    """Live, public events of the agenda with their relations (cached, see
    events.cache)."""
    return cache.agenda()["events"]


def _selected(request, name, allowed):
    value = request.GET.get(name, "")
    return value if value in allowed else ""


def agenda_context(request, index_page):
    """Context of /agenda/: upcoming (or past) dates, filtered, 12 a page.
    Filtering happens in Python on the cached events: the page costs the
    same few queries with 5 events or 5,000."""
    data = cache.agenda()
    types, partners = data["event_types"], data["partners"]
    filters = {
        "type": _selected(request, "type", {t.slug for t in types}),
        "public": _selected(request, "public", {key for key, _ in AUDIENCE_CHOICES}),
        "partenaire": _selected(request, "partenaire", {p.slug for p in partners}),
    }
    past = request.GET.get("periode") == "passes"

    events = data["events"]
    if filters["type"]:
        events = [
            e for e in events if e.event_type and e.event_type.slug == filters["type"]
        ]
    if filters["public"]:
        events = [e for e in events if e.audience == filters["public"]]
    if filters["partenaire"]:
        events = [
            e
            for e in events
            if any(p.slug == filters["partenaire"] for p in e.partners.all())
        ]

    now = timezone.now()
    if past:
        occurrences = [
            occ for occ in recurrence.occurrences_of(events, end=now) if occ.end <= now
        ]
        occurrences.reverse()
    else:
        occurrences = recurrence.occurrences_of(events, start=now)

    page_obj = Paginator(occurrences, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return {
        "page_obj": page_obj,
        "occurrences": page_obj.object_list,
        "event_types": types,
        "partners": partners,
        "audiences": AUDIENCE_CHOICES,
        "filters": filters,
        "is_filtered": any(filters.values()),
        "past": past,
        "calendar_url": month_url(today.year, today.month),
    }


def month_url(year, month):
    from django.urls import reverse

    return reverse("events:month", kwargs={"year": year, "month": month})


def _index_page():
    return cache.agenda()["index"]


def month(request, year, month):
    """The month grid /agenda/calendrier/<année>/<mois>/."""
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        raise Http404(_("Ce mois n'existe pas dans l'agenda."))
    index_page = _index_page()
    if index_page is None:
        raise Http404(_("L'agenda n'est pas publié."))
    first_day = datetime.date(year, month, 1)
    next_first = (first_day + datetime.timedelta(days=32)).replace(day=1)
    previous_last = first_day - datetime.timedelta(days=1)
    start = recurrence.localize(datetime.datetime.combine(first_day, datetime.time()))
    end = recurrence.localize(datetime.datetime.combine(next_first, datetime.time()))

    by_day = {}
    for occ in recurrence.occurrences_of(public_events(), start, end):
        by_day.setdefault(occ.local_start.date(), []).append(occ)

    today = timezone.localdate()
    weeks = [
        [
            {
                "date": day,
                "in_month": day.month == month,
                "is_today": day == today,
                "occurrences": by_day.get(day, []) if day.month == month else [],
            }
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    month_name = f"{MONTH_NAMES[month]} {year}"
    context = {
        "page": index_page,
        "self": index_page,
        "weeks": weeks,
        "day_names": DAY_NAMES,
        "month_label": month_name,
        "year": year,
        "month": month,
        "count": sum(len(v) for v in by_day.values()),
        "previous": {
            "url": month_url(previous_last.year, previous_last.month),
            "label": f"{MONTH_NAMES[previous_last.month]} {previous_last.year}",
        },
        "next": {
            "url": month_url(next_first.year, next_first.month),
            "label": f"{MONTH_NAMES[next_first.month]} {next_first.year}",
        },
        "today_url": month_url(today.year, today.month),
    }
    return render(request, "events/month.html", context)


def agenda_ics(request):
    """Every public event, recurrences included, as one iCalendar file."""
    content = ical.event_calendar(public_events(), request)
    return ical.calendar_response(content, "agenda.ics")


def event_ics(request, slug):
    """One event alone, with its recurrence, as an iCalendar file."""
    index_page = _index_page()
    event = cache.event_by_slug(index_page, slug) if index_page is not None else None
    if event is None:
        raise Http404(_("Cet événement n'existe pas ou n'est plus publié."))
    return ical.calendar_response(
        ical.event_calendar([event], request, name=event.title), "evenement.ics"
    )
