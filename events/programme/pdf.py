"""Printed sheets as PDF, drawn on the server by WeasyPrint from the same
HTML as the printable page: real text (selectable, searchable), the page's
<title> as the document's title and its lang="fr" as the language.

WeasyPrint reads nothing from outside: the stylesheet is handed to it from
the static files, and any other URL in the page is refused (no request to
the network or to the site itself while a PDF is drawn)."""

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from weasyprint import CSS, HTML

STYLESHEET = "events/css/programme.css"


def _refuse(url, *args, **kwargs):
    raise ValueError(f"Ressource externe refusée dans un PDF : {url}")


def pdf_bytes(html, zoom=1):
    """``zoom`` enlarges everything, the page size included (an A4 sheet
    zoomed by √2 is an A3 one)."""
    stylesheet = CSS(filename=finders.find(STYLESHEET), url_fetcher=_refuse)
    return HTML(string=html, url_fetcher=_refuse).write_pdf(
        stylesheets=[stylesheet], zoom=zoom
    )


def pdf_response(html, filename, zoom=1):
    response = HttpResponse(pdf_bytes(html, zoom), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response
