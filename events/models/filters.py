"""The agenda's filters — ``?type=`` (an event type's slug), ``?public=`` (an
audience), ``?partenaire=`` (a partner's slug) — parsed in one place for the
agenda page, its feeds and whatever else lists the agenda (JSON feed,
widget).

The rule: each parameter takes one known value, they combine (AND), an empty
value means « all ». The agenda page drops an unknown value and shows
everything (a stale bookmark still works); a feed refuses it with a French
400 (``InvalidFilter``), since a calendar app subscribed to a typo would
silently show everything.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from events.models.pages import AUDIENCE_CHOICES, EventPage, EventType
from portal.errors import Refused

__all__ = ["AgendaFilters", "InvalidFilter", "FILTER_PARAMS"]

# Parameter names, as the agenda page's form sends them.
FILTER_PARAMS = ("type", "public", "partenaire")
# A slug as the admin saves them (Unicode, see portal/converters.py).
SLUG_RE = re.compile(r"^[-\w]{1,100}$")


class InvalidFilter(Refused):
    """A filter value that names nothing (answered 400)."""


def partner_model():
    # The partners live in the home app; reach them through the relation
    # rather than importing home's models into the agenda's.
    return EventPage._meta.get_field("partners").related_model


@dataclass(frozen=True)
class AgendaFilters:
    type: str = ""
    public: str = ""
    partenaire: str = ""

    @classmethod
    def from_params(cls, params, *, strict=False, event_types=None, partners=None):
        """Filters from a QueryDict (``request.GET``). ``event_types`` and
        ``partners``, when the caller has them loaded, spare the look-ups.
        With ``strict``, an unknown value raises ``InvalidFilter``; without,
        it is dropped."""
        values = {name: (params.get(name) or "").strip() for name in FILTER_PARAMS}
        checks = {
            "type": lambda v: (
                v in {t.slug for t in event_types}
                if event_types is not None
                else EventType.objects.filter(slug=v).exists()
            ),
            "public": lambda v: v in dict(AUDIENCE_CHOICES),
            "partenaire": lambda v: (
                v in {p.slug for p in partners}
                if partners is not None
                else partner_model().objects.filter(slug=v).exists()
            ),
        }
        labels = {
            "type": _("type d'événement"),
            "public": _("public"),
            "partenaire": _("partenaire"),
        }
        for name, value in values.items():
            # Check the shape first: no query ever sees a NUL byte or a page
            # of text.
            if value and not (SLUG_RE.match(value) and checks[name](value)):
                if strict:
                    raise InvalidFilter(
                        _(
                            "Filtre inconnu : aucun %(label)s ne correspond à "
                            "« %(param)s=%(value)s ». Retirez ce paramètre ou "
                            "choisissez une valeur proposée sur la page de "
                            "l'agenda."
                        )
                        % {
                            "label": labels[name],
                            "param": name,
                            "value": value[:50].replace("\x00", ""),
                        }
                    )
                values[name] = ""
        return cls(**values)

    def __bool__(self):
        return any((self.type, self.public, self.partenaire))

    def as_dict(self):
        return {name: getattr(self, name) for name in FILTER_PARAMS}

    def querystring(self):
        """``type=…&public=…`` of the filters that are set (for feed links)."""
        return "&".join(f"{k}={v}" for k, v in self.as_dict().items() if v)

    def apply(self, occurrences):
        """Narrow an ``Occurrence`` queryset."""
        if self.type:
            occurrences = occurrences.of_type(self.type)
        if self.public:
            occurrences = occurrences.for_audience(self.public)
        if self.partenaire:
            occurrences = occurrences.by_partner(self.partenaire)
        return occurrences

    def apply_to_events(self, events):
        """Narrow an ``EventPage`` queryset."""
        if self.type:
            events = events.filter(event_type__slug=self.type)
        if self.public:
            events = events.filter(audience=self.public)
        if self.partenaire:
            events = events.filter(partners__slug=self.partenaire)
        return events
