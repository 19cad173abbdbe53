"""Reading a page as a person reads it: the tests' one `text()`."""

import re
from html import unescape

CSRF_INPUT = re.compile(r"<input[^>]*csrfmiddlewaretoken[^>]*>")


def text(response):
    """The page's HTML with entities decoded, blanks (non-breaking ones
    too) collapsed, and the CSRF token's hidden input left out (it changes
    at each request, so two pages compare on what a person sees)."""
    html = CSRF_INPUT.sub("", response.content.decode())
    return re.sub(r"\s+", " ", unescape(html))
