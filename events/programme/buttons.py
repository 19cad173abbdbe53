"""The printed sheets one click away in the admin: « Affiche A4 à
imprimer » and « Affiche A3 à imprimer » in a live event's header,
« Programme du mois à imprimer » in the agenda's
(register_page_header_buttons, in events.wagtail_hooks). All open the
public printable page, from which the PDF is one more click."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.widgets import Button

from events.models import EventIndexPage, EventPage


def print_header_buttons(page, user, view_name, next_url=None):
    specific = page.specific_deferred
    if isinstance(specific, EventPage) and page.live:
        url = reverse("events:programme:poster", kwargs={"slug": page.slug})
        yield Button(
            _("Affiche A4 à imprimer"), url=url, icon_name="doc-full", priority=92
        )
        yield Button(
            _("Affiche A3 à imprimer"),
            url=f"{url}?format=A3",
            icon_name="doc-full",
            priority=93,
        )
    elif isinstance(specific, EventIndexPage) and page.live:
        today = timezone.localdate()
        yield Button(
            _("Programme du mois à imprimer"),
            url=reverse(
                "events:programme:month",
                kwargs={"year": today.year, "month": today.month},
            ),
            icon_name="doc-full",
            priority=92,
        )
