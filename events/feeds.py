"""RSS feed of the next dates of the agenda (Django syndication)."""

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from events import recurrence

FEED_SIZE = 50


class UpcomingEventsFeed(Feed):
    title = _("Agenda de l'atelier numérique citoyen de Wimille")
    description = _(
        "Les prochains rendez-vous de la médiathèque de Wimille et de CLX : "
        "petits dej' du libre, install parties, conférences, formations."
    )

    def link(self):
        from events.views import _index_page

        page = _index_page()
        return page.url if page else "/agenda/"

    def items(self):
        from events.views import public_events

        occurrences = recurrence.occurrences_of(public_events(), start=timezone.now())
        return occurrences[:FEED_SIZE]

    def item_title(self, item):
        start = item.local_start
        when = f"{date_format(start, 'l j F Y')}, {start.hour} h {start.minute:02d}"
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
        return item.event.url

    def item_guid(self, item):
        return f"{item.event.url}#{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.event.first_published_at

    def item_updateddate(self, item):
        return item.event.last_published_at

    def item_categories(self, item):
        return [item.event.event_type.name] if item.event.event_type else []
