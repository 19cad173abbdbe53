"""Relaying the agenda on the partners' own websites.

The rule: the widget (`/agenda/widget/`) may be framed by exactly the
websites recorded on the Partner records — their origins, nothing else, and
`'none'` when no partner has one; every other page keeps refusing to be
framed (`frame-ancestors 'self'`, X-Frame-Options). The feed addresses and
the iframe code offered for copying (public page « Diffuser l'agenda » and
the admin) are built here, once, for the whole agenda, each partner and
each type, with the agenda page's own filter names.
"""

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from home.models import Partner

from .models import AUDIENCE_CHOICES, EventType, Occurrence

WIDGET_DEFAULT_DATES = 5
WIDGET_MAX_DATES = 20


def origin_of(url):
    """scheme://host[:port] of a website address, or "" if it has none."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname
    default_port = {"http": 80, "https": 443}[parts.scheme]
    try:
        port = parts.port
    except ValueError:
        return ""
    suffix = f":{port}" if port and port != default_port else ""
    return f"{parts.scheme}://{host}{suffix}"


def partner_origins():
    """The origins allowed to frame the widget, in the partners' order."""
    origins = []
    for website in Partner.objects.order_by("sort_order", "name").values_list(
        "website", flat=True
    ):
        origin = origin_of(website)
        if origin and origin not in origins:
            origins.append(origin)
    return origins


def frame_ancestors():
    return partner_origins() or ["'none'"]


@dataclass
class Snippet:
    """What to copy to relay one selection of the agenda."""

    label: str
    query: str
    ics: str
    rss: str
    json: str
    widget: str
    iframe: str


def _with_query(url, params):
    return f"{url}?{urlencode(params)}" if params else url


def snippet(root, label, params):
    widget = _with_query(root + reverse("events:widget"), params)
    # Plain text (escaped again where shown): the code a partner copies.
    iframe = (
        f'<iframe src="{escape(widget)}" '
        f'title="{escape(_("Agenda de l’atelier numérique citoyen de Wimille"))}" '
        'width="100%" height="480" style="border:0;max-width:40rem" '
        'loading="lazy"></iframe>'
    )
    return Snippet(
        label=label,
        query=urlencode(params),
        ics=_with_query(root + reverse("events:ics"), params),
        rss=_with_query(root + reverse("events:rss"), params),
        json=_with_query(root + reverse("events:json"), params),
        widget=widget,
        iframe=iframe,
    )


def snippets(root):
    """The snippets for the whole agenda, then per partner, then per type:
    a list of (heading, [Snippet])."""
    root = root.rstrip("/")
    return [
        (_("Tout l'agenda"), [snippet(root, _("Tous les rendez-vous"), {})]),
        (
            _("Par partenaire"),
            [
                snippet(
                    root,
                    _("Organisés par %(name)s") % {"name": p.name},
                    {"partenaire": p.slug},
                )
                for p in Partner.objects.order_by("sort_order", "name")
            ],
        ),
        (
            _("Par type de rendez-vous"),
            [snippet(root, t.name, {"type": t.slug}) for t in EventType.objects.all()],
        ),
    ]


# -- The selection a feed or the widget shows ---------------------------------
# The agenda page's filters (?partenaire=, ?type=, ?public=). Kept here until
# the agenda's own filter parser lands, then delegated to it.


class InvalidFilter(Exception):
    """An unknown filter value; ``message`` is French, status 400."""

    status = 400

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def parse_filters(params):
    """{"partenaire": slug, "type": slug, "public": key} from a QueryDict;
    empty values mean « all ». Raises InvalidFilter on an unknown value."""
    allowed = {
        "partenaire": set(Partner.objects.values_list("slug", flat=True)),
        "type": set(EventType.objects.values_list("slug", flat=True)),
        "public": {key for key, _label in AUDIENCE_CHOICES},
    }
    names = {
        "partenaire": _("partenaire"),
        "type": _("type"),
        "public": _("public"),
    }
    filters = {}
    for name, values in allowed.items():
        value = params.get(name, "").strip()
        if value and value not in values:
            raise InvalidFilter(
                _(
                    "Filtre inconnu : « %(value)s » n'est pas un %(name)s de "
                    "l'agenda. Valeurs possibles : %(values)s."
                )
                % {
                    "value": value[:60],
                    "name": names[name],
                    "values": ", ".join(sorted(values)),
                }
            )
        filters[name] = value
    return filters


def upcoming(filters, limit, now=None):
    """The next ``limit`` public dates matching ``filters``, read from the
    stored occurrences: a range and LIMIT query whatever the history."""
    dates = Occurrence.objects.public().upcoming(now)
    if filters.get("type"):
        dates = dates.of_type(filters["type"])
    if filters.get("public"):
        dates = dates.for_audience(filters["public"])
    if filters.get("partenaire"):
        dates = dates.by_partner(filters["partenaire"])
    return list(dates.with_events()[:limit])


def widget_count(value):
    """How many dates the widget shows (?nombre=); InvalidFilter if not a
    number between 1 and WIDGET_MAX_DATES."""
    if not value:
        return WIDGET_DEFAULT_DATES
    if not value.isdigit() or not 1 <= int(value) <= WIDGET_MAX_DATES:
        raise InvalidFilter(
            _("« nombre » doit être un nombre de dates entre 1 et %(max)s.")
            % {"max": WIDGET_MAX_DATES}
        )
    return int(value)
