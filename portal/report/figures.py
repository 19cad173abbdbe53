"""What every app's report returns: labelled figures per partner.

A figure has a value per scope: each partner (by its slug) and both
together. `None` is « NC » (not counted: the figure cannot be known, as the
ministry's survey writes it); a scope a figure does not apply to is left
out and shown « — ». Zero is only ever a true zero.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from portal import roles

MEDIATHEQUE = roles.PARTNER_OF_ROLE[roles.ADMINISTRATION]
CLX = roles.PARTNER_OF_ROLE[roles.CLX_EDITORS]
TOGETHER = "ensemble"
SCOPES = (MEDIATHEQUE, CLX, TOGETHER)


@dataclass
class Figure:
    label: str
    values: dict
    unit: str = ""  # "h" for hours, "€" for money, "" for a count
    note: str = ""

    def value(self, scope):
        return self.values.get(scope, NOT_APPLICABLE)

    @property
    def cells(self):
        """The values in the columns' order (`SCOPES`)."""
        return [self.value(scope) for scope in SCOPES]


class _NotApplicable:
    def __repr__(self):
        return "NOT_APPLICABLE"


NOT_APPLICABLE = _NotApplicable()


def scopes_of(partner_slugs):
    """Where an activity of partners `partner_slugs` counts: together, and
    under each of the two partners that organised it."""
    return [TOGETHER, *(s for s in (MEDIATHEQUE, CLX) if s in partner_slugs)]


def seconds(duration):
    """A summed duration from the database as whole seconds (SQLite hands
    out microseconds, PostgreSQL a timedelta); None stays None."""
    if duration is None:
        return 0
    if isinstance(duration, int | float):
        return int(duration) // 1_000_000
    return int(duration.total_seconds())


def hours(total_seconds):
    """Seconds as hours with one decimal (a Decimal: exports keep it
    exact); « NC » stays « NC »."""
    if total_seconds is None:
        return None
    return (Decimal(total_seconds) / 3600).quantize(Decimal("0.1"))


def in_hours(values):
    return {scope: hours(value) for scope, value in values.items()}


@dataclass
class Totals:
    """Sums per key and scope; a part that is not known (None) makes the
    whole sum « NC »."""

    scopes: tuple = SCOPES
    values: dict = field(default_factory=dict)

    def _bucket(self, key):
        return self.values.setdefault(key, dict.fromkeys(self.scopes, 0))

    def add(self, key, scopes, n):
        bucket = self._bucket(key)
        for scope in scopes:
            if n is None or bucket[scope] is None:
                bucket[scope] = None
            else:
                bucket[scope] += n

    def peak(self, key, scopes, n):
        bucket = self._bucket(key)
        for scope in scopes:
            if n is None or bucket[scope] is None:
                bucket[scope] = None
            else:
                bucket[scope] = max(bucket[scope], n)

    def get(self, key):
        return dict(self.values.get(key) or dict.fromkeys(self.scopes, 0))

    def figure(self, key, label, **kwargs):
        return Figure(label, self.get(key), **kwargs)
