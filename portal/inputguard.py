"""Bad input gets a French 400, never a 500 and never a stored value.

The rule: no address, query-string parameter or public form field may
carry a NUL or another control character (tab, carriage return and line
feed are allowed in posted text, where a textarea sends them); a one-line
field (a name, a subject) takes no line break at all, nor a tab nor an
invisible character that turns the text around (`single_line`: the one
rule for names in every public form); a
search query is read as plain words (`plain_words`), never as the search
engine's own syntax; a number (a page, a count, an offset, a year, an id)
is read by `bounded_int` only, never by `int()` or `str.isdigit()`.
Requests that break it are refused by `HostileInputMiddleware` before any
view runs, with the French page `400.html`. Bodies larger than
`DATA_UPLOAD_MAX_MEMORY_SIZE` are refused by Django itself (same page).
The admin's posts are left to its own forms (they carry JSON documents).
"""

import re

from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# C0 controls and DEL; what a browser's form may legitimately send in a
# textarea (tab, CR, LF) is allowed in posted values only.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
POSTED_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAK = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]")
# Tab, and the bidirectional embeddings, overrides and isolates (U+202A–E,
# U+2066–9): « U+202E » shows « gpj.exe » as « exe.jpg » in a mail subject
# or a listing. The marks U+200E/U+200F stay: mixed-script names use them.
INVISIBLE = re.compile(r"[\t\u202a-\u202e\u2066-\u2069]")

ADMIN_PREFIXES = ("/admin/", "/django-admin/")

# Anything but letters, digits, apostrophes and hyphens separates words: the
# search backends read quotes, colons, brackets and stars as query syntax
# (SQLite's full-text index fails on `"x` or `a("b:c")`).
NOT_A_WORD = re.compile(r"[^\w'’-]|_")


# A whole number as a query string, a form or an address may carry it.
DIGITS = re.compile(r"[0-9]+")
# The widest id any table of the site may hold: Wagtail's own tables use
# 32-bit ids, and a larger number in `pk__in` is an error on PostgreSQL
# (an OverflowError on SQLite past 2**63).
MAX_ID = 2**31 - 1


def bounded_int(value, minimum, maximum, *, clamp=False):
    """`value` (text from a query string, a form or an address, or an int
    from a URL converter) as an int between `minimum` and `maximum`, else
    None; with `clamp`, a number out of range gives the nearest bound.

    The one rule for every number a request carries: ASCII digits only (no
    sign, space, underscore, « ² » nor another script's digits, which
    `str.isdigit()` or `int()` accept), and never more digits than
    `maximum` has, so a 5,000-digit string is refused before Python reads
    it (Python refuses integers of more than 4,300 digits) and the database
    never sees a number wider than its column."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and DIGITS.fullmatch(value):
        digits = value.lstrip("0") or "0"
        if len(digits) > len(str(maximum)):
            return maximum if clamp else None
        number = int(digits)
    else:
        return None
    if clamp:
        return min(max(number, minimum), maximum)
    return number if minimum <= number <= maximum else None


def plain_words(text, limit=None):
    """The words of a search query, one space apart, at most `limit`
    characters: no markup is expected here (the caller strips it)."""
    return " ".join(NOT_A_WORD.sub(" ", text or "").split())[:limit]


def single_line(value):
    """Validator for one-line fields: names and subjects end up in e-mail
    headers and listings, where a line break could forge a header and a
    direction override could disguise what is written."""
    if LINE_BREAK.search(value or ""):
        raise ValidationError(
            gettext_lazy(
                "Ce champ tient sur une seule ligne : retirez les retours à la ligne."
            ),
            code="line_break",
        )
    if INVISIBLE.search(value or ""):
        raise ValidationError(
            gettext_lazy(
                "Ce champ contient un caractère invisible (tabulation, inversion du "
                "sens de l'écriture…) : retirez-le ou retapez le texte."
            ),
            code="invisible_character",
        )


def bad_request(request, message=None):
    """The French 400 page (standalone: it must render whatever failed)."""
    html = render_to_string(
        "400.html",
        {
            "message": message
            or _(
                "La demande contient des caractères invisibles ou des valeurs "
                "impossibles : elle n'a pas été traitée."
            )
        },
    )
    response = HttpResponseBadRequest(html)
    response["Cache-Control"] = "private, no-store"
    return response


def _has(pattern, querydict):
    return any(
        pattern.search(key) or any(pattern.search(value) for value in values)
        for key, values in querydict.lists()
    )


class HostileInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL.search(request.path) or _has(CONTROL, request.GET):
            return bad_request(request)
        if (
            request.method == "POST"
            and not request.path.startswith(ADMIN_PREFIXES)
            and _has(POSTED_CONTROL, request.POST)
        ):
            return bad_request(request)
        return self.get_response(request)
