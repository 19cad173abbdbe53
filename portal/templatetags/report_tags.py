"""How the « Bilan de la convention » shows a figure: French numbers
(« 1 234 », « 12,5 h », « 45,00 € »), « NC » when it is not known, « — »
when it does not apply."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from portal.report.figures import NOT_APPLICABLE

register = template.Library()


@register.simple_tag
def figure_value(value, unit=""):
    if value is None:
        return format_html('<abbr title="{}">NC</abbr>', _("non compté"))
    if value is NOT_APPLICABLE:
        return format_html(
            '<span aria-hidden="true">—</span><span class="w-sr-only">{}</span>',
            _("sans objet"),
        )
    if unit == "€":
        text = number_format(Decimal(value), 2, force_grouping=True) + "\u00a0€"
    elif unit == "h":
        text = number_format(value, 1, force_grouping=True) + "\u00a0h"
    else:
        text = number_format(value, force_grouping=True)
    return text
