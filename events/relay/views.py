"""What the partners use to relay the agenda: the JSON Feed, the widget
made to be framed by their websites, and the public page « Diffuser
l'agenda » with the addresses and code to copy. Rules in events.relay.rules,
documents in events.relay.jsonfeed; these views only parse and render. None of
them sets a cookie, so shared caches may keep them."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from events.models import AgendaFilters, InvalidFilter
from events.relay import jsonfeed
from events.relay import rules as sharing
from portal.mail import site_root


def _bad_request(request, message):
    return render(
        request,
        "events/relay/widget_error.html",
        {"message": message},
        status=400,
    )


@require_safe
def agenda_json(request):
    """/agenda/agenda.json: the coming dates as JSON Feed 1.1, filtered."""
    try:
        filters = AgendaFilters.from_params(request.GET, strict=True)
    except InvalidFilter as error:
        return jsonfeed.response({"erreur": error.message}, status=error.status)
    occurrences = sharing.upcoming(filters, jsonfeed.FEED_SIZE)
    return jsonfeed.response(
        jsonfeed.document(occurrences, request, filters.querystring())
    )


def _frame_ancestors_from_partners(view):
    """django-csp 4's per-response override (what its @csp_replace sets),
    computed at each request since the partners' websites are editable."""

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response._csp_replace = {"frame-ancestors": sharing.frame_ancestors()}
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_safe
@xframe_options_exempt
@_frame_ancestors_from_partners
def widget(request):
    """/agenda/widget/: the next dates (?nombre=, 1 to 20), filtered like the
    agenda, as a light page for an iframe: no JavaScript, no cookie, links
    open in the top window."""
    try:
        filters = AgendaFilters.from_params(request.GET, strict=True)
        count = sharing.widget_count(request.GET.get("nombre", ""))
    except InvalidFilter as error:
        return _bad_request(request, error.message)
    query = filters.querystring()
    context = {
        "occurrences": sharing.upcoming(filters, count),
        "agenda_url": "/agenda/" + (f"?{query}" if query else ""),
    }
    return render(request, "events/relay/widget.html", context)


@require_safe
def share(request):
    """/agenda/diffuser/: « Diffuser l'agenda », what to copy, per partner
    and type."""
    context = {
        "groups": sharing.snippets(site_root()),
        "title": _("Diffuser l'agenda"),
        "origins": sharing.partner_origins(),
    }
    return render(request, "events/relay/share.html", context)
