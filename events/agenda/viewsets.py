"""Admin viewsets of the agenda's reference data: venues and event types,
as snippets (« Agenda » in the menu)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from events.models import EventType, Venue
from portal.admin import SnippetViewSet


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    menu_label = _("Lieux")
    list_display = ["name", "city", "step_free_access", "hearing_loop"]
    list_filter = ["city", "step_free_access", "adapted_toilets", "hearing_loop"]
    list_export = [
        "name",
        "address",
        "postal_code",
        "city",
        "step_free_access",
        "adapted_toilets",
        "hearing_loop",
    ]
    search_fields = ["name", "city", "address"]
    inspect_view_enabled = True


class EventTypeViewSet(SnippetViewSet):
    model = EventType
    icon = "tag"
    menu_label = _("Types d'événement")
    list_display = ["name", "slug", "sort_order"]
    list_export = ["name", "slug", "sort_order"]
    search_fields = ["name", "slug"]
    inspect_view_enabled = True


class AgendaViewSetGroup(SnippetViewSetGroup):
    items = (VenueViewSet, EventTypeViewSet)
    menu_icon = "date"
    menu_label = _("Agenda")
    menu_name = "agenda"
    menu_order = 210
