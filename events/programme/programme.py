"""What the printed programme and posters say.

The month's programme lists every public date of the month, day by day,
read from the stored occurrences by range: one query for the dates with
their event and venue, one for that month's registration lists, so it costs
the same with ten events or a thousand. Where registration is open a date
tells, as the event page does, only a band of places left
(events.registrations.rules.Availability), never the count.

A poster shows one event: how it recurs, its next dates, where, the price,
who organises it, and a code to where one signs up (the registration form,
else the appointment booking, else the event page)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.agenda import recurrence
from events.agenda.closures import Closures
from events.models import MAX_SPAN, Occurrence
from events.registrations import rules as registration
from portal import formats

# A poster has room for this many coming dates in big type; a title longer
# than LONG_TITLE takes smaller type, the place of a date and of the summary.
POSTER_DATES = 4
LONG_TITLE = 40


@dataclass
class ProgrammeDate:
    start: datetime.datetime
    end: datetime.datetime
    title: str
    url: str
    venue: str
    access: list
    price: str
    cancelled: bool
    cancel_reason: str
    # None: no registration; else whether it is open now and, if so, the
    # band of places left.
    registration: bool
    places: registration.Availability | None = None
    # How one gets in: « Entrée libre », « Sur inscription », « Sur
    # rendez-vous » (`entry_label`).
    entry: str = ""
    # The reason the place is closed that day (the date does not happen),
    # or None (events.agenda.closures).
    closed: str | None = None

    @property
    def happens(self):
        return not self.cancelled and self.closed is None


@dataclass
class ProgrammeDay:
    day: datetime.date
    dates: list = field(default_factory=list)


@dataclass
class Programme:
    year: int
    month: int
    first_day: datetime.date
    days: list

    @property
    def count(self):
        return sum(len(day.dates) for day in self.days)


def month_bounds(year, month):
    """(first day, aware start, aware end) of a local calendar month."""
    first_day = datetime.date(year, month, 1)
    next_first = (first_day + datetime.timedelta(days=32)).replace(day=1)
    start = recurrence.localize(datetime.datetime.combine(first_day, datetime.time()))
    end = recurrence.localize(datetime.datetime.combine(next_first, datetime.time()))
    return first_day, start, end


def _registration_states(start, end):
    """{(event id, occurrence start): (registration list, seats taken)}
    for the occurrences starting in [start - MAX_SPAN, end), one query.
    Seats held for an address to confirm are taken, as on the event page."""
    lists = registration.lists_with_seats_taken().filter(
        occurrence_start__gte=start - MAX_SPAN, occurrence_start__lt=end
    )
    return {(rl.event_id, rl.occurrence_start): (rl, rl.taken or 0) for rl in lists}


def _places(event, occurrence, states, now):
    """(registration open?, Availability or None); (None, None) without
    registration."""
    if event.capacity is None:
        return None, None
    registration_list, taken = states.get((event.pk, occurrence.start), (None, 0))
    if registration.closed_reason(event, occurrence, now, registration_list):
        return False, None
    return True, registration.availability(event, event.capacity - taken)


def entry_label(event):
    """How one gets in, as the event page says it: « Sur rendez-vous » (an
    assistance permanence), « Sur inscription » (a number of places), else
    « Entrée libre »."""
    if event.appointments_enabled:
        return _("Sur rendez-vous")
    if event.capacity is not None:
        return _("Sur inscription")
    return _("Entrée libre")


def month_programme(year, month, agenda_url, now=None):
    """The public dates of a month, grouped by local day (days without a
    date left out). A date in a closure of its place is listed, marked
    « fermé » with the closure's reason, like a cancelled date: whoever
    comes every Tuesday learns there is no session that Tuesday."""
    now = now or timezone.now()
    first_day, start, end = month_bounds(year, month)
    occurrences = Occurrence.objects.public().between(start, end).with_events()
    states = _registration_states(start, end)
    closures = Closures(start - MAX_SPAN, end)
    days = {}
    for occurrence in occurrences:
        event = occurrence.event
        venue = event.venue if event.attendance_mode != "online" else None
        is_open, places = _places(event, occurrence, states, now)
        # A date begun the month before is listed on the month's first day.
        day = max(occurrence.local_start.date(), first_day)
        days.setdefault(day, ProgrammeDay(day)).dates.append(
            ProgrammeDate(
                start=occurrence.local_start,
                end=occurrence.local_end,
                title=event.title,
                url=f"{agenda_url}{event.slug}/",
                venue=venue.name if venue else _("En ligne"),
                access=venue.accessibility_features if venue else [],
                price=event.price_label,
                cancelled=occurrence.is_cancelled,
                cancel_reason=occurrence.cancellation_reason,
                registration=is_open,
                places=places,
                entry=entry_label(event),
                closed=closures.reason(event, occurrence),
            )
        )
    return Programme(year, month, first_day, sorted(days.values(), key=_day_key))


def _day_key(programme_day):
    return programme_day.day


# --- Poster ----------------------------------------------------------------


@dataclass
class Poster:
    event: object
    rule: str
    dates: list
    partners: list
    target_path: str
    target_label: str
    long_title: bool
    entry: str = ""
    # [(occurrence, reason)]: dates the rule gives, among those the poster
    # spans, on which the place is closed (said: « pas de séance le … »).
    closed: list = field(default_factory=list)

    @property
    def closed_days(self):
        """« mardi 29 décembre », « mardis 22 et 29 décembre » read as
        « mardi 22 décembre et mardi 29 décembre »."""
        days = [formats.day(o.local_start, year=False) for o, _reason in self.closed]
        if len(days) == 1:
            return days[0]
        return _("%(first)s et %(last)s") % {
            "first": ", ".join(days[:-1]),
            "last": days[-1],
        }

    @property
    def closed_reason(self):
        return self.closed[0][1] if self.closed else ""


def poster(event, event_url, now=None):
    """What the poster of ``event`` (whose page is at ``event_url``) shows:
    a handful of LIMIT queries."""
    now = now or timezone.now()
    rule = ""
    if event.recurrence:
        rule = _("%(rule)s, de %(start)s à %(end)s") % {
            "rule": event.recurrence_description,
            "start": formats.time_of_day(event.start, html=True),
            "end": formats.time_of_day(event.end, html=True),
        }
        rule = rule[:1].upper() + rule[1:]
    long_title = len(event.title) > LONG_TITLE
    coming = [o for o in event.occurrences(start=now)[: POSTER_DATES * 3]]
    closures = Closures(coming[0].start, coming[-1].end, [event]) if coming else None
    wanted = POSTER_DATES - 1 if long_title else POSTER_DATES
    dates, closed = [], []
    for occurrence in coming:
        if len(dates) == wanted:
            break
        if occurrence.cancelled:
            continue
        reason = closures.reason(event, occurrence)
        if reason is None:
            dates.append(occurrence)
        else:
            closed.append((occurrence, reason))
    if event.capacity is not None and not registration.event_closed_reason(event, now):
        target_path, label = f"{event_url}inscription/", _("Inscription gratuite")
        if not event.is_free and event.price is not None:
            label = _("Inscription")
    elif event.appointments_enabled:
        target_path, label = f"{event_url}rendez-vous/", _("Prendre rendez-vous")
    else:
        target_path, label = event_url, _("Plus d'informations")
    return Poster(
        event=event,
        rule=rule,
        dates=dates,
        partners=[p.name for p in event.partners.all()],
        target_path=target_path,
        target_label=label,
        long_title=long_title,
        entry=entry_label(event),
        closed=closed if dates else [],
    )
