"""The printable programme of a month and an event's poster, each as a page
to print from the browser and as a PDF drawn on the server (same template).
Thin: the content comes from events.programme.programme, the codes from
events.programme.qr."""

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.agenda import recurrence
from events.models import EventIndexPage, EventPage
from events.programme import pdf, programme, qr
from portal import formats

MONTH_TEMPLATE = "events/programme/month.html"
POSTER_TEMPLATE = "events/programme/poster.html"
# ?format=A3: the same poster enlarged by √2, the ratio of A sizes (an A4
# sheet's layout fills an A3 sheet, every letter 1.41 times bigger).
POSTER_FORMATS = {"A4": 1, "A3": 2**0.5}


def poster_format(request):
    """« A4 » (the default, and for any other value) or « A3 »."""
    value = request.GET.get("format", "")
    return value if value in POSTER_FORMATS else "A4"


def _agenda(request):
    index_page = EventIndexPage.objects.live().public().first()
    if index_page is None:
        raise Http404(_("L'agenda n'est pas publié."))
    return index_page


def _month_context(request, year, month):
    if not (1 <= month <= 12 and year in recurrence.KEY_YEARS):
        raise Http404(_("Ce mois n'existe pas dans l'agenda."))
    index_page = _agenda(request)
    agenda_url = index_page.get_url(request)
    agenda_full_url = request.build_absolute_uri(agenda_url)
    month_programme = programme.month_programme(year, month, agenda_url)
    kwargs = {"year": year, "month": month}
    return {
        "programme": month_programme,
        "month_label": formats.month(month_programme.first_day),
        "agenda_url": agenda_url,
        "qr_url": qr.encoded_url(agenda_full_url),
        "qr_svg": qr.svg(agenda_full_url),
        "page_url": reverse("events:programme:month", kwargs=kwargs),
        "pdf_url": reverse("events:programme:month_pdf", kwargs=kwargs),
    }


@require_safe
def month(request, year, month):
    """/agenda/programme/<année>/<mois>/: the month to print."""
    return render(request, MONTH_TEMPLATE, _month_context(request, year, month))


@require_safe
def month_pdf(request, year, month):
    context = _month_context(request, year, month) | {"for_pdf": True}
    html = render_to_string(MONTH_TEMPLATE, context, request)
    return pdf.pdf_response(html, f"programme-{year}-{month:02d}.pdf")


def _poster_context(request, slug):
    event = (
        EventPage.objects.live()
        .public()
        .select_related("venue")
        .filter(slug=slug)
        .order_by("path")
        .first()
    )
    if event is None:
        raise Http404(_("Cet événement n'existe pas ou n'est plus publié."))
    event_url = event.get_url(request)
    shown = programme.poster(event, event_url)
    target = request.build_absolute_uri(shown.target_path)
    size = poster_format(request)
    page_url = reverse("events:programme:poster", kwargs={"slug": slug})
    pdf_url = reverse("events:programme:poster_pdf", kwargs={"slug": slug})
    a3 = "?format=A3"
    return {
        "poster": shown,
        "page": event,
        "event_url": event_url,
        "qr_url": qr.encoded_url(target),
        "qr_svg": qr.svg(target),
        "poster_format": size,
        "page_url": page_url + (a3 if size == "A3" else ""),
        "pdf_url": pdf_url + (a3 if size == "A3" else ""),
        "other_format_url": page_url + ("" if size == "A3" else a3),
        "other_format": "A4" if size == "A3" else "A3",
    }


@require_safe
def poster(request, slug):
    """/agenda/<événement>/affiche/: the event's A4 poster to print
    (?format=A3: the A3 one)."""
    return render(request, POSTER_TEMPLATE, _poster_context(request, slug))


@require_safe
def poster_pdf(request, slug):
    context = _poster_context(request, slug) | {"for_pdf": True}
    html = render_to_string(POSTER_TEMPLATE, context, request)
    size = context["poster_format"]
    suffix = "" if size == "A4" else f"-{size}"
    return pdf.pdf_response(
        html, f"affiche-{slug}{suffix}.pdf", zoom=POSTER_FORMATS[size]
    )
