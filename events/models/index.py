"""The agenda page (/agenda/): upcoming dates or the past archive, filtered,
12 a page, read from the stored occurrences with range and LIMIT queries."""

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import SectionIndexPage

from .filters import AgendaFilters, partner_model
from .occurrences import Occurrence
from .pages import AUDIENCE_CHOICES, EventPage, EventType

__all__ = ["EventIndexPage", "PER_PAGE", "month_url"]

PER_PAGE = 12


def month_url(year, month):
    return reverse("events:month", kwargs={"year": year, "month": month})


class EventIndexPage(SectionIndexPage):
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("agenda")

    def route(self, request, path_components):
        """An event is found in one query, with the venue and type its page
        shows, rather than Wagtail's generic child look-up plus ``specific``."""
        if not path_components:
            return super().route(request, path_components)
        event = (
            EventPage.objects.child_of(self)
            .select_related("venue", "event_type")
            .prefetch_related("partners")
            .filter(slug=path_components[0])
            .first()
        )
        if event is None:
            raise Http404
        event.agenda_page = self  # breadcrumbs and « retour à l'agenda »
        return event.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        event_types = list(EventType.objects.all())
        partners = list(partner_model().objects.all())
        filters = AgendaFilters.from_params(
            request.GET, event_types=event_types, partners=partners
        )
        past = request.GET.get("periode") == "passes"
        dates = filters.apply(Occurrence.objects.public()).with_events()
        now = timezone.now()
        dates = dates.past(now) if past else dates.upcoming(now)
        page_obj = Paginator(dates, PER_PAGE).get_page(request.GET.get("page"))
        today = timezone.localdate()
        context.update(
            {
                "page_obj": page_obj,
                "occurrences": page_obj.object_list,
                "event_types": event_types,
                "partners": partners,
                "audiences": AUDIENCE_CHOICES,
                "filters": filters.as_dict(),
                "is_filtered": bool(filters),
                # The page's feeds and « S'abonner » links follow its filters.
                "feed_query": filters.querystring(),
                "past": past,
                "calendar_url": month_url(today.year, today.month),
            }
        )
        return context
