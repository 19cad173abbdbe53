"""Registers the agenda's admin (viewsets in `viewsets/`, their views in
`admin_views/`): venues and event types, registrations and their
occurrences, rooms, bookings and financial commitments, appointments, the
agenda's relays, the permission policies of the audit data, and the page
hooks of the publish guard."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from portal.admin import ReadOnlyPolicy

from . import viewsets
from .admin_views import commitments
from .models import AgendaSubscription, Booking, Registration, RegistrationList

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
# Agenda subscribers subscribe themselves (double opt-in): seen, exported and
# erased by staff, never added or edited by hand.
register_permission_policy(
    AgendaSubscription, ReadOnlyPolicy(AgendaSubscription, denied=("add", "change"))
)

# -- Venues, event types, registrations ---------------------------------------

register_snippet(viewsets.AgendaViewSetGroup)
hooks.register("register_admin_viewset", viewsets.RegistrationViewSetGroup)
hooks.register("register_admin_viewset", viewsets.RegistrationOccurrenceViewSet)

# -- Appointments « sur rendez-vous » -------------------------------------------

hooks.register("register_admin_viewset", viewsets.AppointmentViewSet)
hooks.register("register_admin_viewset", viewsets.AppointmentReportViewSet)

# -- Relaying the agenda: subscribers, « Diffuser l'agenda » --------------------

hooks.register("register_admin_viewset", viewsets.SubscriberViewSet)
hooks.register("register_admin_viewset", viewsets.ShareViewSet)

# -- Rooms, bookings and financial commitments ----------------------------------

hooks.register("register_admin_viewset", viewsets.RoomsViewSetGroup)
hooks.register("before_publish_page", commitments.refuse_unsettled_publish)
hooks.register("before_edit_page", commitments.warn_or_refuse_on_edit)
hooks.register("before_bulk_action", commitments.refuse_unsettled_bulk_publish)
hooks.register("before_copy_page", commitments.refuse_live_copy)
hooks.register("after_copy_page", commitments.copy_commitments)
hooks.register("register_page_header_buttons", commitments.commitments_header_button)

# -- Printed programme and posters (events.programme) ----------------------------

# Imported here rather than at the top so that this section stays one hunk.
from .programme import buttons as programme_buttons  # noqa: E402

hooks.register("register_page_header_buttons", programme_buttons.print_header_buttons)
