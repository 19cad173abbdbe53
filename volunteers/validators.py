"""Checks on what editors type about a volunteer: French phone numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# 0X XX XX XX XX, with spaces, dots or dashes between pairs, or the same number
# written +33 X XX XX XX XX / 0033 ... (an optional « (0) » is tolerated).
_SEPARATORS = re.compile(r"[\s.\-]")
_NATIONAL = re.compile(r"^0[1-9]\d{8}$")
_INTERNATIONAL = re.compile(r"^(?:\+33|0033)(?:\(0\))?([1-9]\d{8})$")


def _digits(value):
    return _SEPARATORS.sub("", value or "")


def normalise_french_phone(value):
    """« +33 6.12.34.56.78 » → « 06 12 34 56 78 »; anything else unchanged."""
    compact = _digits(value)
    match = _INTERNATIONAL.match(compact)
    if match:
        compact = "0" + match.group(1)
    if _NATIONAL.match(compact):
        return " ".join(compact[i : i + 2] for i in range(0, 10, 2))
    return value


def validate_french_phone(value):
    if not value:
        return
    compact = _digits(value)
    if _NATIONAL.match(compact) or _INTERNATIONAL.match(compact):
        return
    raise ValidationError(
        _(
            "Numéro de téléphone non reconnu : saisissez un numéro français à "
            "10 chiffres, par exemple 06 12 34 56 78 ou +33 6 12 34 56 78."
        ),
        code="invalid_phone",
    )
