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

from events.models import EventType, InvalidFilter, Occurrence
from home.models import Partner
from portal.inputguard import bounded_int

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


# -- The selection the widget shows ------------------------------------------


def upcoming(filters, limit, now=None):
    """The next ``limit`` public dates matching ``filters`` (an
    ``AgendaFilters``), read from the stored occurrences: a range and LIMIT
    query whatever the history."""
    dates = filters.apply(Occurrence.objects.public()).upcoming(now)
    return list(dates.with_events()[:limit])


def widget_count(value):
    """How many dates the widget shows (?nombre=); InvalidFilter if not a
    number between 1 and WIDGET_MAX_DATES."""
    if not value:
        return WIDGET_DEFAULT_DATES
    count = bounded_int(value, 1, WIDGET_MAX_DATES)
    if count is None:
        raise InvalidFilter(
            _("« nombre » doit être un nombre de dates entre 1 et %(max)s.")
            % {"max": WIDGET_MAX_DATES}
        )
    return count
