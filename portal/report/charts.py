"""Charts of the report as SVG written on the server: no script, the same
in the page and on paper. Each chart names itself (`<title>`, `<desc>`,
`role="img"`) and is shown beside a table of the same numbers, so a screen
reader reads the table and nobody needs the picture. Colours come from the
stylesheet (classes), never from style attributes (the admin's CSP)."""

from django.utils.dates import MONTHS_3
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .figures import CLX, MEDIATHEQUE, SCOPES, TOGETHER

WIDTH = 640
HEIGHT = 240
MARGIN_LEFT = 36
MARGIN_BOTTOM = 28
MARGIN_TOP = 30


def nice_top(largest):
    top = 1
    steps = (2, 2.5, 2)  # 1 → 2 → 5 → 10 → 20 → 50…
    index = 0
    while top < largest:
        top = int(top * steps[index % 3])
        index += 1
    return top


def months_chart(chart_id, months, partners):
    """Held dates per month: one bar per month and partner."""
    series = [(MEDIATHEQUE, "serie-mediatheque"), (CLX, "serie-clx")]
    largest = max(
        [
            values[SCOPES.index(scope)] or 0
            for _month, values in months
            for scope, _c in series
        ]
        or [0]
    )
    top = nice_top(max(largest, 1))
    plot_w = WIDTH - MARGIN_LEFT - 8
    plot_h = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = plot_w / max(len(months), 1)
    bar = slot * 0.8 / len(series)
    bars = []
    labels = []
    for index, (month, values) in enumerate(months):
        x0 = MARGIN_LEFT + index * slot + slot * 0.1
        for position, (scope, css) in enumerate(series):
            n = values[SCOPES.index(scope)] or 0
            h = plot_h * n / top
            bars.append(
                (
                    css,
                    round(x0 + position * bar, 1),
                    round(MARGIN_TOP + plot_h - h, 1),
                    round(bar - 1, 1),
                    round(h, 1),
                )
            )
        labels.append(
            (
                round(x0 + slot * 0.4, 1),
                HEIGHT - 8,
                str(MONTHS_3[month.month]).capitalize(),
            )
        )
    title = _("Séances tenues par mois")
    desc = _(
        "Diagramme en barres : une barre par mois pour %(a)s et pour %(b)s ; "
        "les nombres sont dans le tableau voisin."
    ) % {
        "a": partners[MEDIATHEQUE],
        "b": partners[CLX],
    }
    legend = [(css, partners[scope]) for scope, css in series]
    return _svg(chart_id, title, desc, top, bars, labels, legend)


def types_chart(chart_id, rows, partners):
    """People present per type of event (both partners together)."""
    largest = max(
        [values[SCOPES.index(TOGETHER)] or 0 for _name, values in rows] or [0]
    )
    top = nice_top(max(largest, 1))
    plot_w = WIDTH - MARGIN_LEFT - 8
    plot_h = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = plot_w / max(len(rows), 1)
    bars, labels = [], []
    for index, (name, values) in enumerate(rows):
        n = values[SCOPES.index(TOGETHER)] or 0
        h = plot_h * n / top
        x0 = MARGIN_LEFT + index * slot + slot * 0.15
        bars.append(
            (
                "serie-ensemble",
                round(x0, 1),
                round(MARGIN_TOP + plot_h - h, 1),
                round(slot * 0.7, 1),
                round(h, 1),
            )
        )
        labels.append((round(x0 + slot * 0.35, 1), HEIGHT - 8, name[:18]))
    title = _("Personnes présentes par type d'événement")
    desc = _(
        "Diagramme en barres : une barre par type d'événement, les deux "
        "partenaires ensemble ; les nombres sont dans le tableau voisin."
    )
    legend = [("serie-ensemble", partners[TOGETHER])]
    return _svg(chart_id, title, desc, top, bars, labels, legend)


def _svg(chart_id, title, desc, top, bars, labels, legend):
    plot_h = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    ticks = [(0, MARGIN_TOP + plot_h), (top, MARGIN_TOP)]
    if top % 2 == 0:
        ticks.append((top // 2, MARGIN_TOP + plot_h / 2))
    keys = format_html_join(
        "",
        '<rect class="{}" x="{}" y="6" width="12" height="12"></rect>'
        '<text class="axe" x="{}" y="16">{}</text>',
        (
            (css, MARGIN_LEFT + index * 300, MARGIN_LEFT + index * 300 + 16, name)
            for index, (css, name) in enumerate(legend)
        ),
    )
    grid = format_html_join(
        "",
        '<line class="grille" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
        '<text class="axe" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (
                MARGIN_LEFT,
                WIDTH - 8,
                round(y, 1),
                round(y, 1),
                MARGIN_LEFT - 4,
                round(y + 4, 1),
                value,
            )
            for value, y in ticks
        ),
    )
    rects = format_html_join(
        "",
        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"></rect>',
        bars,
    )
    texts = format_html_join(
        "",
        '<text class="axe" x="{}" y="{}" text-anchor="middle">{}</text>',
        labels,
    )
    return format_html(
        '<svg class="graphique" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-titre {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-titre">{}</title><desc id="{}-desc">{}</desc>'
        "{}{}{}{}</svg>",
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        keys,
        grid,
        rects,
        texts,
    )
