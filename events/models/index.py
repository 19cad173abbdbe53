"""The agenda page (/agenda/): upcoming dates, the past archive or one
day's dates (``?jour=``, linked from the month grid), filtered, 12 a page,
read from the stored occurrences with range and LIMIT queries. The archive
is paged without counting all of history (``LookaheadPaginator``)."""

import datetime

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.agenda import recurrence
from events.models.filters import AgendaFilters, partner_model
from events.models.occurrences import Occurrence
from events.models.pages import AUDIENCE_CHOICES, EventPage, EventType
from portal import formats
from portal.models import SectionIndexPage
from portal.pagination import LookaheadPaginator, requested_page

__all__ = ["EventIndexPage", "PER_PAGE", "month_url"]

PER_PAGE = 12
# ?vue=dates: the coming dates one by one rather than one card per event.
VIEW_DATES = "dates"
VIEW_EVENTS = "evenements"


def month_url(year, month):
    return reverse("events:month", kwargs={"year": year, "month": month})


class EventIndexPage(SectionIndexPage):
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("agenda")

    # Its route() finds an event by slug, as Wagtail's does (portal.routing
    # may find it by its url_path instead).
    routes_children_by_slug = True

    def route(self, request, path_components):
        """An event is found in one query, with the venue and type its page
        shows, rather than Wagtail's generic child look-up plus ``specific``."""
        if not path_components:
            return super().route(request, path_components)
        event = (
            EventPage.routing_queryset()
            .child_of(self)
            .filter(slug=path_components[0])
            .first()
        )
        if event is None:
            raise Http404
        event._cached_parent_obj = self  # breadcrumbs and « retour à l'agenda »
        return event.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        # events.programme.groups reads these models: imported when they exist.
        from events.programme import groups as agenda_groups

        context = super().get_context(request, *args, **kwargs)
        event_types = list(EventType.objects.all())
        partners = list(partner_model().objects.all())
        filters = AgendaFilters.from_params(
            request.GET, event_types=event_types, partners=partners
        )
        day = parse_day(request.GET.get("jour"))
        past = not day and request.GET.get("periode") == "passes"
        # What is coming, « par événement » (one card per event, the
        # default) or « par date » (?vue=dates); a day and the archive
        # list dates.
        by_event = not (day or past) and request.GET.get("vue") != VIEW_DATES
        dates = filters.apply(Occurrence.objects.public()).with_events()
        now = timezone.now()
        number = requested_page(request.GET.get("page"))
        if day:
            paginator = Paginator(dates.on_day(day), PER_PAGE)
        elif past:
            # Years of history: counted only a few pages ahead.
            paginator = LookaheadPaginator(dates.past(now), PER_PAGE, number=number)
        elif by_event:
            # One card per event, read along the start index: counted only
            # a few pages ahead, like the archive (thousands of events).
            paginator = LookaheadPaginator(
                agenda_groups.grouped(filters.apply(Occurrence.objects.public()), now),
                PER_PAGE,
                number=number,
            )
        else:
            # « Par date »: every coming date of every event, as many as the
            # archive's: counted only a few pages ahead too.
            paginator = LookaheadPaginator(dates.upcoming(now), PER_PAGE, number=number)
        page_obj = paginator.get_page(number)
        groups = (
            agenda_groups.event_groups(page_obj.object_list, now) if by_event else []
        )
        today = timezone.localdate()
        calendar_day = day or today
        context.update(
            {
                "page_obj": page_obj,
                "occurrences": [] if by_event else page_obj.object_list,
                "groups": groups,
                "by_event": by_event,
                "view_dates": VIEW_DATES,
                "event_types": event_types,
                "partners": partners,
                "audiences": AUDIENCE_CHOICES,
                "filters": filters.as_dict(),
                "is_filtered": bool(filters),
                # The page's feeds and « S'abonner » links follow its filters.
                "feed_query": filters.querystring(),
                "past": past,
                "day": day,
                "day_label": formats.day(day) if day else "",
                "calendar_url": month_url(calendar_day.year, calendar_day.month),
            }
        )
        return context


def parse_day(value):
    """``?jour=2026-12-05`` as a date, or None for anything else (dropped,
    like an unknown filter value)."""
    if not value or len(value) != 10:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return day if day.year in recurrence.KEY_YEARS else None
