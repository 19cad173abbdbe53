"""RSS feed of the next dates of the agenda (Django syndication), filtered
like the agenda page (?type=, ?public=, ?partenaire=)."""

from django.contrib.syndication.views import Feed
from django.utils.translation import gettext_lazy as _

from events.agenda.views import bad_filter_response
from events.models import AgendaFilters, EventIndexPage, InvalidFilter, Occurrence
from portal import formats

FEED_SIZE = 50


class UpcomingEventsFeed(Feed):
    title = _("Agenda de l'atelier numérique citoyen de Wimille")
    description = _(
        "Les prochains rendez-vous de la médiathèque de Wimille et de CLX : "
        "petits dej' du libre, install parties, conférences, formations."
    )

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidFilter as error:
            return bad_filter_response(error)

    def get_object(self, request, *args, **kwargs):
        return AgendaFilters.from_params(request.GET, strict=True), request

    def link(self):
        page = EventIndexPage.objects.live().public().first()
        return page.url if page else "/agenda/"

    def items(self, obj):
        filters, request = obj
        dates = filters.apply(Occurrence.objects.public()).with_events()
        dates = list(dates.upcoming()[:FEED_SIZE])
        # Each event's address once, through the request (which keeps the
        # site's root paths): `page.url` alone asks the cache for them on
        # every call, a Redis round trip per date in production.
        urls = {}
        for date in dates:
            if date.event.pk not in urls:
                urls[date.event.pk] = date.event.get_url(request=request)
            date.feed_url = urls[date.event.pk]
        return dates

    def item_title(self, item):
        start = item.local_start
        when = f"{formats.day(start)}, {formats.time_of_day(start)}"
        title = f"{item.event.title} – {when}"
        if item.cancelled:
            title = f"{_('ANNULÉ')} – {title}"
        return title

    def item_description(self, item):
        text = item.event.summary
        if item.cancelled and item.cancel_reason:
            text = f"{_('Annulé')} : {item.cancel_reason}. {text}"
        return text

    def item_link(self, item):
        return item.feed_url

    def item_guid(self, item):
        return f"{item.feed_url}#{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.event.first_published_at

    def item_updateddate(self, item):
        return item.event.last_published_at

    def item_categories(self, item):
        return [item.event.event_type.name] if item.event.event_type else []
