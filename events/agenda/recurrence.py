"""Recurring events: occurrences are computed from an RFC 5545 rule. This
module is the only place that expands a rule; ``events.agenda.occurrences`` stores
what it computes (the rule stays the source of truth).

The rule is expanded in naive local (Europe/Paris) wall-clock time and each
occurrence is then localised, so an event at 09:30 stays at 09:30 local time
on both sides of a daylight-saving change. Cancelled dates (matched on the
local date) stay in the list, flagged « annulé » with their reason; extra
dates are added to the rule's own dates.
"""

import datetime
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Without an end, a rule is expanded this far past today (or past its start).
DEFAULT_HORIZON = datetime.timedelta(days=366)
# Never expand more occurrences than this for one event (a daily rule with no
# end over decades is an editing mistake, not a reason to hang a page).
MAX_OCCURRENCES = 2000

ALLOWED_PARTS = {
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYSETPOS",
    "BYWEEKNO",
    "BYYEARDAY",
    "WKST",
}
ALLOWED_FREQS = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}

WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_NAMES = [
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
]
ORDINALS = {1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième", -1: "dernier"}


def local_tz():
    return ZoneInfo(settings.TIME_ZONE)


def to_local_naive(value):
    """An aware datetime as naive local wall-clock time."""
    return timezone.localtime(value, local_tz()).replace(tzinfo=None)


def localize(naive):
    """Naive local wall-clock time → aware datetime in the site's time zone."""
    return naive.replace(tzinfo=local_tz())


def midnight(day):
    """The aware start of the local calendar day ``day`` (a date)."""
    return localize(datetime.datetime.combine(day, datetime.time.min))


def day_bounds(day, days=1):
    """``[start, end)`` of ``days`` local calendar days from ``day``: each
    bound is a local midnight, so a day of a clock change lasts 23 or 25 h."""
    return midnight(day), midnight(day + datetime.timedelta(days=days))


def month_bounds(year, month):
    """``[start, end)`` of a local calendar month, as aware datetimes."""
    first = datetime.date(year, month, 1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return midnight(first), midnight(following)


@dataclass
class ExpandedDate:
    """One date of an event. ``key`` (ISO start) identifies it in URLs."""

    event: object
    start: datetime.datetime
    end: datetime.datetime
    cancelled: bool = False
    cancel_reason: str = ""
    is_extra: bool = False
    key: str = field(init=False)

    def __post_init__(self):
        self.key = self.start.isoformat()

    @property
    def is_past(self):
        return self.end <= timezone.now()

    @property
    def local_start(self):
        return timezone.localtime(self.start, local_tz())

    @property
    def local_end(self):
        return timezone.localtime(self.end, local_tz())


# --- building and checking rules ----------------------------------------


def parse_rule(text):
    """Split an RRULE into an ordered dict of parts, or raise a French
    ValidationError."""
    text = (text or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text:
        raise ValidationError(_("La règle de récurrence est vide."))
    parts = {}
    for chunk in text.split(";"):
        if not chunk:
            continue
        name, sep, value = chunk.partition("=")
        name = name.strip().upper()
        if not sep or not value.strip():
            raise ValidationError(
                _("Élément de règle illisible : « %(chunk)s »."),
                params={"chunk": chunk},
            )
        if name not in ALLOWED_PARTS:
            raise ValidationError(
                _("Élément de règle non pris en charge : « %(name)s »."),
                params={"name": name},
            )
        parts[name] = value.strip().upper()
    if parts.get("FREQ") not in ALLOWED_FREQS:
        raise ValidationError(
            _(
                "La règle doit commencer par une fréquence : FREQ=DAILY, WEEKLY, "
                "MONTHLY ou YEARLY."
            )
        )
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValidationError(
            _("Indiquez soit un nombre de dates (COUNT), soit une date de fin (UNTIL).")
        )
    return parts


def format_rule(parts):
    return ";".join(f"{name}={value}" for name, value in parts.items())


def until_to_utc_text(until_date):
    """The last instant of a local date, as an RFC 5545 UTC UNTIL value."""
    end_of_day = localize(
        datetime.datetime.combine(until_date, datetime.time(23, 59, 59))
    )
    return end_of_day.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _until_to_local_naive(value):
    """UNTIL as found in a rule (date, local or UTC date-time) → naive local."""
    if re.fullmatch(r"\d{8}", value):
        day = datetime.datetime.strptime(value, "%Y%m%d")
        return day.replace(hour=23, minute=59, second=59)
    if re.fullmatch(r"\d{8}T\d{6}Z", value):
        aware = datetime.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.UTC
        )
        return to_local_naive(aware)
    if re.fullmatch(r"\d{8}T\d{6}", value):
        return datetime.datetime.strptime(value, "%Y%m%dT%H%M%S")
    raise ValidationError(
        _("Date de fin (UNTIL) illisible : « %(value)s »."), params={"value": value}
    )


def build_rule(kind, start, until=None, count=None, custom=""):
    """The RRULE text for a choice of the editor. ``start`` is aware; the
    weekday and position come from it (« le premier samedi » if the first
    date is the first Saturday of its month)."""
    if not kind:
        return ""
    local = timezone.localtime(start, local_tz())
    weekday = WEEKDAY_CODES[local.weekday()]
    if kind == "custom":
        parts = parse_rule(custom)
    elif kind == "weekly":
        parts = {"FREQ": "WEEKLY", "BYDAY": weekday}
    elif kind == "monthly_weekday":
        position = (local.day - 1) // 7 + 1
        if position == 5:
            position = -1
        parts = {"FREQ": "MONTHLY", "BYDAY": f"{position:+d}{weekday}"}
    elif kind == "monthly_last_weekday":
        parts = {"FREQ": "MONTHLY", "BYDAY": f"-1{weekday}"}
    elif kind == "monthly_date":
        parts = {"FREQ": "MONTHLY", "BYMONTHDAY": str(local.day)}
    else:
        raise ValidationError(_("Type de récurrence inconnu."))
    if until:
        parts.pop("COUNT", None)
        parts["UNTIL"] = until_to_utc_text(until)
    elif count:
        parts.pop("UNTIL", None)
        parts["COUNT"] = str(count)
    return format_rule(parts)


def make_rrule(text, start):
    """A dateutil rrule over naive local time, from an RRULE text and the
    aware first start. Raises a French ValidationError on a bad rule."""
    parts = parse_rule(text)
    if "UNTIL" in parts:
        parts["UNTIL"] = _until_to_local_naive(parts["UNTIL"]).strftime("%Y%m%dT%H%M%S")
    try:
        return rrulestr(format_rule(parts), dtstart=to_local_naive(start))
    except (ValueError, TypeError) as error:
        raise ValidationError(
            _("Règle de récurrence invalide : %(error)s"), params={"error": error}
        ) from error


def validate_rule(text, start):
    rule = make_rrule(text, start)
    if rule.after(to_local_naive(start), inc=True) is None:
        raise ValidationError(_("Cette règle ne produit aucune date."))


def describe(kind, start, rule_text=""):
    """The rule in plain French: « le premier samedi de chaque mois »."""
    if not kind or start is None:
        return ""
    local = timezone.localtime(start, local_tz())
    day_name = WEEKDAY_NAMES[local.weekday()]
    if kind == "weekly":
        return _("chaque %(day)s") % {"day": day_name}
    if kind == "monthly_weekday":
        position = (local.day - 1) // 7 + 1
        ordinal = ORDINALS.get(position if position < 5 else -1)
        return _("le %(ordinal)s %(day)s de chaque mois") % {
            "ordinal": ordinal,
            "day": day_name,
        }
    if kind == "monthly_last_weekday":
        return _("le dernier %(day)s de chaque mois") % {"day": day_name}
    if kind == "monthly_date":
        day = _("1er") if local.day == 1 else str(local.day)
        return _("le %(day)s de chaque mois") % {"day": day}
    return _("à dates régulières")


# --- expanding ------------------------------------------------------------


def expand(event, start=None, end=None):
    """Occurrences of ``event`` overlapping [start, end), in date order.

    Reads ``event.cancellations`` and ``event.extra_dates`` through
    ``.all()`` so that a prefetched listing costs no query per event.
    """
    duration = event.end - event.start
    now = timezone.now()
    if end is None:
        end = max(now, event.start) + DEFAULT_HORIZON
    window_start = (start or event.start) - duration
    naive_start = to_local_naive(window_start)
    naive_end = to_local_naive(end)

    starts = []
    if event.recurrence_rule:
        try:
            rule = make_rrule(event.recurrence_rule, event.start)
        except ValidationError:
            rule = None
        if rule is not None:
            for naive in rule.xafter(naive_start, count=MAX_OCCURRENCES, inc=True):
                if naive >= naive_end:
                    break
                starts.append((localize(naive), None, False))
    elif event.start < end and event.end > window_start:
        starts.append((event.start, event.end, False))

    for extra in event.extra_dates.all():
        extra_end = extra.end or extra.start + duration
        if extra.start < end and extra_end > window_start:
            starts.append((extra.start, extra_end, True))

    cancelled = {c.date: c.reason for c in event.cancellations.all()}
    occurrences = {}
    for occ_start, occ_end, is_extra in starts:
        if occ_end is None:
            occ_end = localize(to_local_naive(occ_start) + duration)
        if start is not None and occ_end <= start:
            continue
        local_date = timezone.localtime(occ_start, local_tz()).date()
        occurrences[occ_start] = ExpandedDate(
            event=event,
            start=occ_start,
            end=occ_end,
            cancelled=local_date in cancelled,
            cancel_reason=cancelled.get(local_date, ""),
            is_extra=is_extra,
        )
    return [occurrences[key] for key in sorted(occurrences)]


def expand_until(event, until):
    """Every occurrence of ``event`` from its first date (or earliest extra
    date) to ``until``; single and extra dates after ``until`` are included
    too, since they need no expansion."""
    extras = list(event.extra_dates.all())
    first = min([event.start] + [extra.start for extra in extras])
    last = max([event.end] + [extra.end or extra.start for extra in extras])
    end = max(until, last + datetime.timedelta(seconds=1))
    if event.recurrence_rule:
        # Beyond the horizon only explicit dates count, not the rule's.
        rule_end = until
        occurrences = expand(event, start=first, end=max(rule_end, first))
        if any(extra.start >= rule_end for extra in extras):
            seen = {o.start for o in occurrences}
            occurrences += [
                o
                for o in expand(event, start=rule_end, end=end)
                if o.is_extra and o.start not in seen
            ]
        return sorted(occurrences, key=lambda o: o.start)
    return expand(event, start=first, end=end)


# The years the agenda reads (occurrence keys, ?jour=, the month grid):
# anything else is refused before any arithmetic (year 1 or 9999 overflow
# once converted between time zones).
KEY_YEARS = range(1900, 2201)


def parse_key(value):
    """An occurrence key (ISO datetime) → aware datetime, or None for
    anything else: garbage, NUL bytes, a date without a time, a year out of
    ``KEY_YEARS``."""
    if isinstance(value, datetime.datetime):
        parsed = value
    else:
        text = str(value)
        if len(text) > 64 or "\x00" in text or "T" not in text.upper():
            return None
        try:
            parsed = datetime.datetime.fromisoformat(text)
        except ValueError:
            return None
    if parsed.year not in KEY_YEARS:
        return None
    if timezone.is_naive(parsed):
        parsed = localize(parsed)
    try:
        parsed.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        return None
    return parsed


def find(event, start):
    """The occurrence of ``event`` starting exactly at ``start``, or None."""
    wanted = parse_key(start)
    if wanted is None:
        return None
    for occurrence in expand(
        event,
        start=wanted - datetime.timedelta(seconds=1),
        end=wanted + datetime.timedelta(seconds=1),
    ):
        if occurrence.start == wanted:
            return occurrence
    return None


def occurrences_of(events, start=None, end=None):
    """All occurrences of many events, merged in date order."""
    result = []
    for event in events:
        result.extend(expand(event, start=start, end=end))
    result.sort(key=lambda occ: (occ.start, occ.event.title))
    return result
