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


def described_by(response, name):
    """{id: text} of what assistive technologies read with the field
    `name` (its `aria-describedby` ids); an id naming no element of the
    page reads as None."""
    html = response.content.decode()
    tag = re.search(rf'<(?:input|textarea|select)[^>]*\bname="{name}"[^>]*>', html)
    assert tag, name
    ids = re.search(r'aria-describedby="([^"]*)"', tag.group(0))
    found = {}
    for ident in ids.group(1).split() if ids else []:
        element = re.search(rf'<(\w+)[^>]*\bid="{ident}"[^>]*>(.*?)</\1>', html, re.S)
        found[ident] = (
            re.sub(r"<[^>]+>|\s+", " ", unescape(element.group(2))).strip()
            if element
            else None
        )
    return found


MAIL_URL = re.compile(r"https?://[^\s\"<>]+")


def mail_links(message, marker=""):
    """The addresses in a mail's text body (an EmailMessage or the body
    itself) whose address holds `marker`, in their order."""
    body = getattr(message, "body", message)
    return [url for url in MAIL_URL.findall(body) if marker in url]


def mail_link_path(message, marker):
    """The path (and query) of the one address of the mail holding
    `marker`, to open it on whatever server the test runs."""
    found = mail_links(message, marker)
    assert found, getattr(message, "body", message)
    return "/" + found[0].split("://", 1)[1].split("/", 1)[1]
