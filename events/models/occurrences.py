"""Stored occurrences: one row per date of a live event, kept by
``events.agenda.occurrences`` (never written elsewhere) and read by every listing,
feed and form with range and LIMIT queries."""

import datetime

from django.core.cache import cache
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageViewRestriction

from events.agenda import recurrence
from events.models.pages import EventPage

__all__ = ["Occurrence", "EventCalendarEntry", "MAX_SPAN", "any_view_restriction"]

# The longest an occurrence may last and still be found by a range that
# starts after it began (month grid); an agenda date is hours, a festival
# days.
MAX_SPAN = datetime.timedelta(days=62)


# Whether any page is behind a view restriction, kept in the cache: the
# correlated check below costs a sub-query per row, which a COUNT over years
# of dates pays in full, while most sites restrict nothing. Forgotten when a
# restriction is added or removed (events.agenda.occurrences), and after a minute
# anyway for processes that do not share the cache.
VIEW_RESTRICTIONS_KEY = "events:any-view-restriction"
VIEW_RESTRICTIONS_TIMEOUT = 60


def any_view_restriction():
    found = cache.get(VIEW_RESTRICTIONS_KEY)
    if found is None:
        found = PageViewRestriction.objects.exists()
        cache.set(VIEW_RESTRICTIONS_KEY, found, VIEW_RESTRICTIONS_TIMEOUT)
    return found


class OccurrenceQuerySet(models.QuerySet):
    def public(self, restricted=None):
        """Dates the public may see. Rows exist only for live events (see
        events.agenda.occurrences), so this only leaves out events behind a view
        restriction (on them or an ancestor) — as ``PageQuerySet.public()``
        does, but inside the same query. ``restricted``: whether any page has
        a view restriction, when the caller has asked already
        (`any_view_restriction`)."""
        if restricted is None:
            restricted = any_view_restriction()
        if not restricted:
            return self.all()
        restricted = PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("event__path"), 1, Length("page__path"))
        )
        return self.filter(~Exists(restricted))

    def upcoming(self, now=None, since=None):
        """Dates not over yet (ongoing ones included), soonest first. Read
        along the start index from ``since`` (``MAX_SPAN`` before now), so a
        LIMIT stops after the first rows whatever the history."""
        now = now or timezone.now()
        since = since or now - MAX_SPAN
        return self.filter(start__gte=since, end__gt=now).order_by("start", "pk")

    def past(self, now=None):
        """Dates that are over, latest first (the start index, backwards)."""
        now = now or timezone.now()
        return self.filter(start__lt=now, end__lte=now).order_by("-start", "-pk")

    def between(self, start, end):
        """Dates overlapping [start, end), in date order. A date starting
        more than ``MAX_SPAN`` before ``start`` is not looked for, so the
        query reads one range of the start index."""
        return self.filter(
            start__lt=end, start__gte=start - MAX_SPAN, end__gt=start
        ).order_by("start", "pk")

    def on_day(self, day):
        """Dates overlapping the local calendar day ``day`` (a date)."""
        return self.between(*recurrence.day_bounds(day))

    def not_cancelled(self):
        return self.filter(is_cancelled=False)

    def of_type(self, slug):
        return self.filter(event__event_type__slug=slug)

    def for_audience(self, audience):
        return self.filter(event__audience=audience)

    def by_partner(self, slug):
        return self.filter(event__partners__slug=slug)

    def with_events(self):
        """Each row with its event and what a card shows of it (type,
        venue), in the same query."""
        return self.select_related("event", "event__event_type", "event__venue").defer(
            "event__body"
        )


class Occurrence(models.Model):
    """One date of an event: derived data, rebuilt from the event (its RFC
    5545 rule, cancelled and extra dates stay the source of truth)."""

    event = models.ForeignKey(
        EventPage,
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name="stored_occurrences",
    )
    start = models.DateTimeField(_("début"), db_index=True)
    end = models.DateTimeField(_("fin"))
    is_cancelled = models.BooleanField(_("annulée"), default=False)
    cancellation_reason = models.CharField(
        _("motif d'annulation"), max_length=200, blank=True
    )
    is_extra = models.BooleanField(_("date supplémentaire"), default=False)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("date d'un événement")
        verbose_name_plural = _("dates des événements")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "start"], name="events_occurrence_one_per_start"
            )
        ]

    def __str__(self):
        return f"{self.event_id} @ {self.start.isoformat()}"

    @classmethod
    def from_db(cls, db, field_names, values):
        # Read back in local time, like the dates events.agenda.recurrence computes
        # (the database hands out UTC).
        row = super().from_db(db, field_names, values)
        for name in ("start", "end"):
            value = row.__dict__.get(name)
            if value is not None:
                setattr(row, name, timezone.localtime(value))
        return row

    # The same reading surface as events.agenda.recurrence.ExpandedDate, so templates,
    # registration rules and e-mails take either.
    @property
    def key(self):
        """The start in local time, ISO 8601: what ``?date=`` carries."""
        return timezone.localtime(self.start).isoformat()

    @property
    def cancelled(self):
        return self.is_cancelled

    @property
    def cancel_reason(self):
        return self.cancellation_reason

    @property
    def is_past(self):
        return self.end <= timezone.now()

    @property
    def local_start(self):
        return timezone.localtime(self.start)

    @property
    def local_end(self):
        return timezone.localtime(self.end)


class EventCalendarEntry(models.Model):
    """A live event's VEVENTs as iCalendar text, written with its stored
    dates (events.agenda.occurrences) so that agenda.ics joins text rather than
    rebuilding hundreds of events on every download."""

    event = models.OneToOneField(
        EventPage,
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="calendar_entry",
    )
    vevents = models.TextField(_("VEVENT iCalendar"))
    # The span of the event's stored dates, so that agenda.ics reads the
    # events of its window from this table alone, along an index.
    first_start = models.DateTimeField(_("première date"), null=True)
    last_end = models.DateTimeField(_("fin de la dernière date"), null=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["last_end"], name="events_calendar_last_end_idx")
        ]
        verbose_name = _("événement au format iCalendar")
        verbose_name_plural = _("événements au format iCalendar")

    def __str__(self):
        return str(self.event_id)
