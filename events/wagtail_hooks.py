"""Registers the agenda's admin (viewsets in `viewsets.py`, their views in
`admin_views.py`): venues and event types, registrations and their
occurrences, rooms, bookings and financial commitments, and the permission
policies of the audit data."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from portal.admin import ReadOnlyPolicy

from . import (
    admin_relay,  # noqa: F401  (feeds to copy, agenda subscribers)
    admin_views,
    appointment_admin,  # noqa: F401  (appointments' admin)
    viewsets,
)
from .models import Booking, Registration, RegistrationList

# -- Audit data: changed by the rules, never by hand ----------------------------

# Registrations: seen and erased with Django's permissions, never added or
# edited by hand. Occurrences follow the permissions on registrations and are
# never deleted by hand (their counts survive the purge).
register_permission_policy(Registration, ReadOnlyPolicy(Registration))
register_permission_policy(
    RegistrationList,
    ReadOnlyPolicy(
        RegistrationList, auth_model=Registration, denied=("add", "change", "delete")
    ),
)
# A booking changes only through the rules (confirm, decline, draft event).
register_permission_policy(
    Booking, ReadOnlyPolicy(Booking, denied=("change", "delete", "copy"))
)

# -- Venues, event types, registrations ---------------------------------------

register_snippet(viewsets.AgendaViewSetGroup)
hooks.register("register_admin_viewset", viewsets.RegistrationViewSetGroup)
hooks.register("register_admin_viewset", viewsets.RegistrationOccurrenceViewSet)


# -- Rooms, bookings and financial commitments (events.viewsets) ---------------

hooks.register("register_admin_viewset", viewsets.RoomsViewSetGroup)
hooks.register("before_publish_page", admin_views.refuse_unsettled_publish)
hooks.register("before_edit_page", admin_views.warn_or_refuse_on_edit)
hooks.register("before_bulk_action", admin_views.refuse_unsettled_bulk_publish)
hooks.register("before_copy_page", admin_views.refuse_live_copy)
hooks.register("after_copy_page", admin_views.copy_commitments)
hooks.register("register_page_header_buttons", admin_views.commitments_header_button)
