"""One card per event: the agenda « par événement » and the home page.

A person new to computers reads one card per thing to do, with when it
comes back (« tous les mardis de 14 h à 16 h »), rather than the same
permanence three times. This module:

- phrases an event's recurrence in French (`describe_recurrence`), from
  its stored RFC 5545 rule (events.agenda.recurrence);
- finds each event's first coming date among the stored dates
  (events.Occurrence) by walking the start index with LIMIT (`grouped`),
  then the cards' next held dates, skipping cancelled dates and those in a
  closure of the event's place (`event_groups`), so the grouped agenda
  costs the same queries and about the same time with 10 or 10,000 events;
- chooses the home page's cards (`home_agenda`, `choose_for_home`), by the
  rule written in the README and in the « à la une » field's help text,
  and finds the next assistance permanence with free appointment slots
  (`next_permanence`).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import (
    Exists,
    OuterRef,
    Q,
    Subquery,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events.agenda import recurrence
from events.agenda.closures import Closures
from events.appointments import rules as appointments
from events.models import (
    MAX_SPAN,
    EventPage,
    Occurrence,
    any_view_restriction,
)
from events.registrations import rules as registration_rules
from portal.prepared import prepared_query

# The home page shows this many events, one card each.
HOME_CARDS = 4
# The home page chooses among the events of this many next dates (one
# grouped query with LIMIT, whatever the size of the agenda).
HOME_CANDIDATES = 24
# A card looks for its next held date among this many coming dates that are
# not cancelled (more only when all of them fall in closures of its place).
HELD_LOOKAHEAD = 8

WEEKDAY_PLURALS = [
    "lundis",
    "mardis",
    "mercredis",
    "jeudis",
    "vendredis",
    "samedis",
    "dimanches",
]
POSITIONS = {
    1: "premier",
    2: "deuxième",
    3: "troisième",
    4: "quatrième",
    5: "cinquième",
    -1: "dernier",
    -2: "avant-dernier",
}


# --- the recurrence in French ---------------------------------------------


def hour(value):
    """« 14 h », « 9 h 30 » (no « 00 »: how a poster or a person says it)."""
    if value.minute:
        return f"{value.hour}\u00a0h\u00a0{value.minute:02d}"
    return f"{value.hour}\u00a0h"


def day_of_month(value):
    """« 1er décembre », « 15 décembre »."""
    if value.day == 1:
        return _("1er %(month)s") % {"month": date_format(value, "F")}
    return date_format(value, "j F")


def _join(words):
    """« lundis », « lundis et jeudis », « lundis, mercredis et vendredis »."""
    if len(words) == 1:
        return words[0]
    return _("%(first)s et %(last)s") % {
        "first": ", ".join(words[:-1]),
        "last": words[-1],
    }


def _weekdays(parts, local_start):
    """The weekdays (0 = Monday) of a BYDAY without positions, or the first
    date's weekday."""
    codes = [code for code in parts.get("BYDAY", "").split(",") if code]
    if not codes:
        return [local_start.weekday()]
    return sorted({recurrence.WEEKDAY_CODES.index(code[-2:]) for code in codes})


def _positioned_day(parts, local_start):
    """(position, weekday) of a monthly rule such as BYDAY=1SA, or BYDAY=SA
    with BYSETPOS=1; None for anything else."""
    codes = [code for code in parts.get("BYDAY", "").split(",") if code]
    if len(codes) != 1:
        return None
    code = codes[0]
    weekday = recurrence.WEEKDAY_CODES.index(code[-2:])
    number = code[:-2] or parts.get("BYSETPOS", "")
    try:
        position = int(number)
    except ValueError:
        return None
    return (position, weekday) if position in POSITIONS else None


def _rhythm(parts, local_start):
    """« tous les mardis », « le premier samedi du mois »… or None when the
    rule says something this phrase does not."""
    if set(parts) - {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYSETPOS"}:
        return None
    freq = parts["FREQ"]
    interval = int(parts.get("INTERVAL", "1") or 1)
    if freq == "DAILY" and "BYDAY" not in parts:
        if interval == 1:
            return _("tous les jours")
        return _("tous les %(count)s jours") % {"count": interval}
    if freq in ("DAILY", "WEEKLY"):
        if "BYMONTHDAY" in parts or "BYSETPOS" in parts:
            return None
        if any(code[:-2] for code in parts.get("BYDAY", "").split(",")):
            return None
        days = _weekdays(parts, local_start)
        if interval == 1:
            return _("tous les %(days)s") % {
                "days": _join([WEEKDAY_PLURALS[d] for d in days])
            }
        if len(days) == 1 and interval == 2:
            return _("un %(day)s sur deux") % {"day": recurrence.WEEKDAY_NAMES[days[0]]}
        return _("les %(days)s, toutes les %(count)s semaines") % {
            "days": _join([WEEKDAY_PLURALS[d] for d in days]),
            "count": interval,
        }
    if freq == "MONTHLY":
        if "BYDAY" in parts:
            found = _positioned_day(parts, local_start)
            if found is None or "BYMONTHDAY" in parts:
                return None
            position, weekday = found
            text = _("le %(position)s %(day)s du mois") % {
                "position": POSITIONS[position],
                "day": recurrence.WEEKDAY_NAMES[weekday],
            }
        else:
            days = [d for d in parts.get("BYMONTHDAY", "").split(",") if d]
            if len(days) > 1 or "BYSETPOS" in parts:
                return None
            number = int(days[0]) if days else local_start.day
            if number < 1:
                return None
            text = _("le %(day)s de chaque mois") % {
                "day": _("1er") if number == 1 else number
            }
        if interval == 1:
            return text
        if interval == 2:
            return _("%(rhythm)s, un mois sur deux") % {"rhythm": text}
        return _("%(rhythm)s, tous les %(count)s mois") % {
            "rhythm": text,
            "count": interval,
        }
    if freq == "YEARLY" and interval == 1 and not set(parts) - {"FREQ", "INTERVAL"}:
        return _("chaque année, le %(day)s") % {"day": day_of_month(local_start)}
    return None


def _hours(event):
    """« de 14 h à 16 h » for a date that ends the day it starts."""
    start = timezone.localtime(event.start, recurrence.local_tz())
    end = timezone.localtime(event.end, recurrence.local_tz())
    if start.date() != end.date():
        return ""
    return _("de %(start)s à %(end)s") % {"start": hour(start), "end": hour(end)}


def _ending(event, parts):
    """« jusqu'au 10 février 2027 » (from UNTIL, or the last of COUNT dates:
    a person reads a date better than a number of sessions), or ""."""
    if "UNTIL" in parts:
        last = _until_date(parts["UNTIL"])
    elif "COUNT" in parts:
        try:
            last = recurrence.make_rrule(event.recurrence_rule, event.start)[-1].date()
        except (ValidationError, IndexError):
            last = None
    else:
        return ""
    if last is None:
        return ""
    return _("jusqu'au %(day)s") % {"day": f"{day_of_month(last)} {last.year}"}


def _until_date(value):
    """The local date of an UNTIL value (events.agenda.recurrence reads it)."""
    try:
        return recurrence._until_to_local_naive(value).date()
    except ValidationError:
        return None


def describe_recurrence(event):
    """How ``event`` comes back, in French, lower case: « tous les mardis de
    14 h à 16 h », « le premier samedi du mois de 9 h 30 à 12 h, jusqu'au 30
    juin 2027 » (a rule ending after a number of dates says its last); for an
    event without a rule, « une seule date » (« à plusieurs dates » when
    dates were added by hand: read through ``extra_dates.all()``, prefetched
    by `event_groups`); « à dates régulières » for a rule this does
    not phrase."""
    hours = _hours(event)
    if not event.recurrence_rule:
        if event.extra_dates.all():
            return _("à plusieurs dates")
        return _("une seule date")
    try:
        parts = recurrence.parse_rule(event.recurrence_rule)
    except ValidationError:
        return _("à dates régulières")
    local_start = timezone.localtime(event.start, recurrence.local_tz())
    rhythm_parts = {k: v for k, v in parts.items() if k not in ("UNTIL", "COUNT")}
    rhythm_parts.pop("WKST", None)
    rhythm = _rhythm(rhythm_parts, local_start)
    if rhythm is None:
        text = _("à dates régulières")
    elif hours:
        text = f"{rhythm} {hours}"
    else:
        text = rhythm
    ending = _ending(event, parts)
    return f"{text}, {ending}" if ending else text


# --- one card per event -----------------------------------------------------


@dataclass
class EventGroup:
    """What an event's card shows: the event, its next date that is held
    (None when no coming date is), the date it skips before it, if any —
    cancelled (``cancelled``) or in a closure of its place (``closed``,
    with ``closed_reason``) — and the places band when registration is open
    on that next date (`events.registrations.rules.Availability`)."""

    event: object
    next: object = None
    cancelled: object = None
    availability: object = None
    first_start: datetime.datetime | None = None
    closed: object = None
    closed_reason: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def recurrence(self):
        return describe_recurrence(self.event)

    @property
    def cancelled_label(self):
        """« La séance du 15 décembre est annulée. »"""
        if self.cancelled is None:
            return ""
        return _("La séance du %(day)s est annulée.") % {
            "day": day_of_month(self.cancelled.local_start)
        }

    @property
    def closed_label(self):
        """« Pas de séance le 29 décembre : lieu fermé. »"""
        if self.closed is None:
            return ""
        return _("Pas de séance le %(day)s : lieu fermé.") % {
            "day": day_of_month(self.closed.local_start)
        }

    @property
    def has_places(self):
        return self.availability is not None and not self.availability.is_full


def grouped(occurrences, now=None, since=None):
    """Each event's first coming date (held or not), soonest first: the
    coming dates of ``occurrences`` (an ``Occurrence`` queryset, filtered
    by event) that no earlier coming date of the same event precedes. The
    query walks the start index from now and checks each date against the
    (event, start) index, so a LIMIT (a page, `LookaheadPaginator`'s
    bounded count) stops after the first events whatever the size of the
    agenda: no GROUP BY over every coming date."""
    now = now or timezone.now()
    since = since or now - MAX_SPAN
    earlier = Occurrence.objects.filter(
        event_id=OuterRef("event_id"),
        start__lt=OuterRef("start"),
        start__gte=since,
        end__gt=now,
    )
    return occurrences.upcoming(now, since).filter(~Exists(earlier)).with_events()


def _held_dates(firsts, now):
    """{event id: its first HELD_LOOKAHEAD coming dates not cancelled}, in
    date order, for the events of ``firsts``: one query with a window
    (a handful of rows per event, whatever their number of dates)."""
    event_ids = sorted({first.event_id for first in firsts})
    found = {}
    for row in _held_rows(event_ids, now, now - MAX_SPAN):
        found.setdefault(row.event_id, []).append(row)
    return found


@prepared_query
def _held_rows(event_ids, now, since):
    return (
        Occurrence.objects.filter(
            event_id__in=event_ids, start__gte=since, end__gt=now, is_cancelled=False
        )
        .annotate(rank=Window(RowNumber(), partition_by="event_id", order_by="start"))
        .filter(rank__lte=HELD_LOOKAHEAD)
        .order_by("event_id", "start")
    )


def _more_held_dates(event, after, now):
    """The event's coming dates not cancelled after ``after`` (when the
    first HELD_LOOKAHEAD all fall in closures: a long closure of a weekly
    event)."""
    return list(
        Occurrence.objects.filter(
            event_id=event.pk, start__gt=after, end__gt=now, is_cancelled=False
        ).order_by("start")
    )


def event_groups(firsts, now=None):
    """`EventGroup`s for a page of `grouped` (each event's first coming
    date, with its event): their next held dates in one query, the closures
    of their places in one, their places in one more."""
    now = now or timezone.now()
    firsts = list(firsts)
    if not firsts:
        return []
    prefetch_related_objects([first.event for first in firsts], "extra_dates")
    held = _held_dates(firsts, now)
    dates = [o for rows in held.values() for o in rows]
    closures = Closures(
        now - MAX_SPAN,
        max((o.end for o in dates), default=now),
        [first.event for first in firsts],
    )
    groups = []
    for first in firsts:
        event = first.event
        group = EventGroup(
            event=event,
            cancelled=first if first.is_cancelled else None,
            first_start=first.start,
        )
        candidates = held.get(event.pk, [])
        if len(candidates) == HELD_LOOKAHEAD and all(
            closures.reason(event, o) is not None for o in candidates
        ):
            candidates = candidates + _more_held_dates(event, candidates[-1].start, now)
        for occurrence in candidates:
            occurrence.event = event
            reason = closures.reason(event, occurrence)
            if reason is None:
                group.next = occurrence
                break
            if group.closed is None and group.cancelled is None:
                group.closed, group.closed_reason = occurrence, reason
        groups.append(group)
    _add_availability(groups, now)
    return groups


def _add_availability(groups, now=None):
    """The places band of each group's next date where registration is open
    on it, in one query for all the groups (seats taken per registration
    list, as `events.registrations.rules.occurrence_states` counts them)."""
    now = now or timezone.now()
    open_groups = [
        group
        for group in groups
        if group.next is not None
        and group.event.capacity is not None
        and registration_rules.event_closed_reason(group.event, now) is None
        and group.next.start > now
    ]
    if not open_groups:
        return
    # The lists of these events on these dates: a few more rows than the
    # pairs (an event's list on another group's date), left out below.
    lists = {
        (rl.event_id, rl.occurrence_start): rl
        for rl in _registration_lists(
            sorted({group.event.pk for group in open_groups}),
            sorted({group.next.start for group in open_groups}),
        )
    }
    for group in open_groups:
        registration_list = lists.get((group.event.pk, group.next.start))
        if registration_list is not None and registration_list.is_closed:
            continue
        taken = (registration_list.taken or 0) if registration_list else 0
        group.availability = registration_rules.availability(
            group.event, group.event.capacity - taken
        )


@prepared_query
def _registration_lists(event_ids, starts):
    """The registration lists of these events on these dates, each with the
    seats its registrations hold (`taken`)."""
    return registration_rules.lists_with_seats_taken().filter(
        event_id__in=event_ids, occurrence_start__in=starts
    )


# --- the home page ----------------------------------------------------------


def choose_for_home(featured, candidates, size=HOME_CARDS):
    """The home page's rule, on `EventGroup`s in date order (``featured``:
    the events ticked « à la une »; ``candidates``: the events of the next
    dates), one card per event:

    1. the events « à la une »;
    2. the soonest event where places are left;
    3. the soonest of the others, one per type of event while types remain
       (a permanence, a workshop, a conference rather than three
       permanences);
    4. then the soonest, whatever their type.

    Returned in date order, ``size`` at most."""
    chosen = []
    seen = set()

    def take(group):
        if group.event.pk not in seen and len(chosen) < size:
            chosen.append(group)
            seen.add(group.event.pk)

    for group in featured:
        take(group)
    for group in candidates:
        if group.has_places:
            take(group)
            break
    types = {group.event.event_type_id for group in chosen}
    for group in candidates:
        if group.event.event_type_id not in types:
            take(group)
            types.add(group.event.event_type_id)
    for group in candidates:
        take(group)
    return sorted(chosen, key=lambda group: (group.first_start, group.event.pk))


@dataclass
class Permanence:
    """The next date of a « sur rendez-vous » event that has free slots."""

    event: object
    occurrence: object
    free_slots: list


@dataclass
class HomeAgenda:
    """What the home page shows of the agenda: its cards (`choose_for_home`)
    and the next assistance permanence with free slots (or None)."""

    groups: list
    permanence: Permanence | None


@prepared_query
def _special_firsts(now, since, *, restricted):
    """The first coming date of each event « à la une » or « sur
    rendez-vous » (a few events, whatever the size of the agenda), each
    found along the (event, start) index."""
    first_of_event = (
        Occurrence.objects.filter(
            event_id=OuterRef("pk"), start__gte=since, end__gt=now
        )
        .order_by("start")
        .values("pk")[:1]
    )
    special = EventPage.objects.filter(
        Q(featured_on_home=True) | Q(appointments_enabled=True)
    ).values(first=Subquery(first_of_event))
    return (
        Occurrence.objects.public(restricted)
        .filter(pk__in=special)
        .with_events()
        .order_by("start", "pk")[:HOME_CANDIDATES]
    )


@prepared_query
def _soonest_firsts(now, since, *, restricted):
    """The first coming date of the soonest events (`grouped`)."""
    return grouped(Occurrence.objects.public(restricted), now, since)[:HOME_CANDIDATES]


def home_agenda(now=None, size=HOME_CARDS):
    """The home page's « Prochains rendez-vous » and « Prochaine permanence
    d'assistance »: the first dates of the events « à la une » or « sur
    rendez-vous » (one query), those of the soonest events (one query with
    LIMIT), then their cards (`event_groups`) and the permanence's slots
    (`next_permanence`) when there is one."""
    now = now or timezone.now()
    since, restricted = now - MAX_SPAN, any_view_restriction()
    soonest = _soonest_firsts(now, since, restricted=restricted)
    # Without any coming date, no event is « à la une » or « sur
    # rendez-vous » with one: no second query.
    special = _special_firsts(now, since, restricted=restricted) if soonest else []
    firsts = {}
    for first in special + soonest:
        firsts.setdefault(first.event_id, first)
    groups = event_groups(firsts.values(), now)
    featured = [group for group in groups if group.event.featured_on_home]
    candidates = sorted(
        (group for group in groups if not group.event.featured_on_home),
        key=lambda group: (group.first_start, group.event.pk),
    )
    return HomeAgenda(
        groups=choose_for_home(featured, candidates, size),
        permanence=next_permanence(groups, now),
    )


def next_permanence(groups, now=None):
    """The soonest held date of an event « sur rendez-vous » (the
    assistance permanence) among ``groups`` that has free slots, or None
    (events.appointments.rules.bookable: four queries)."""
    now = now or timezone.now()
    permanences = sorted(
        (
            group
            for group in groups
            if group.event.appointments_enabled and group.next is not None
        ),
        key=lambda group: group.next.start,
    )
    for group in permanences[:1]:
        for day in appointments.bookable(group.event, now, limit=3):
            if day.free_slots:
                return Permanence(group.event, day.occurrence, day.free_slots)
    return None
