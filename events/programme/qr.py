"""QR codes for printed sheets, drawn by segno as inline SVG.

A code always carries an absolute URL in ASCII (an accented slug is
percent-encoded, as a browser sends it), so every phone's reader opens it.
The SVG is an image named by the URL it holds, for screen readers and for
whoever cannot scan it."""

import segno
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def encoded_url(url):
    """The ASCII form of ``url`` that a code carries."""
    return iri_to_uri(url)


def make(url):
    """The segno QR code of ``url`` (medium error correction: a printed
    sheet gets creased and scribbled on)."""
    return segno.make(encoded_url(url), error="m", micro=False)


def svg(url):
    """The code as an inline SVG element sized by CSS (viewBox only)."""
    target = encoded_url(url)
    label = escape(_("Code QR vers %(url)s") % {"url": target})
    markup = make(url).svg_inline(
        scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None
    )
    return mark_safe(  # noqa: S308 (segno's markup; the label is escaped)
        markup.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    )
