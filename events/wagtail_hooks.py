"""Admin of the agenda: venues and event types as snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from portal.admin import SnippetViewSet

from . import (
    admin_registrations,  # noqa: F401  (registrations' admin)
    admin_relay,  # noqa: F401  (feeds to copy, agenda subscribers)
    admin_views,
    appointment_admin,  # noqa: F401  (appointments' admin)
    viewsets,
)
from .models import EventType, Venue


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


register_snippet(AgendaViewSetGroup)


# -- Rooms, bookings and financial commitments (events.viewsets) ---------------

hooks.register("register_admin_viewset", viewsets.RoomsViewSetGroup)
hooks.register("before_publish_page", admin_views.refuse_unsettled_publish)
hooks.register("before_edit_page", admin_views.warn_or_refuse_on_edit)
hooks.register("before_bulk_action", admin_views.refuse_unsettled_bulk_publish)
hooks.register("before_copy_page", admin_views.refuse_live_copy)
hooks.register("after_copy_page", admin_views.copy_commitments)
hooks.register("register_page_header_buttons", admin_views.commitments_header_button)
