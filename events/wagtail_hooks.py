"""Registers the agenda's admin (viewsets in `viewsets/`, their views in
`admin_views/`): venues and event types, registrations and their
occurrences, rooms, bookings and financial commitments, appointments, the
agenda's relays, the permission policies of the audit data, and the page
hooks of the publish guard."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from portal.admin import ReadOnlyPolicy

from . import rooms, viewsets
from .admin_views import appointments, commitments
from .models import AgendaSubscription, Booking, Registration, RegistrationList
from .permissions import may_open_appointments

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


@hooks.register("construct_homepage_panels")
def add_next_appointment_sessions_panel(request, panels):
    if may_open_appointments(request.user):
        panels.append(appointments.NextSessionsPanel())


# -- Relaying the agenda: subscribers, « Diffuser l'agenda » --------------------

hooks.register("register_admin_viewset", viewsets.SubscriberViewSet)
hooks.register("register_admin_viewset", viewsets.ShareViewSet)

# -- Rooms, bookings and financial commitments ----------------------------------

hooks.register("register_admin_viewset", viewsets.RoomsViewSetGroup)


@hooks.register("register_log_actions")
def register_booking_log_actions(actions):
    @actions.register_action(rooms.WITHDRAWN)
    class Withdrawn(LogFormatter):
        label = _("Retirer la demande de salle")
        message = _("Demande de salle retirée par CLX")

    class Cancelled(LogFormatter):
        def format_message(self, log_entry):
            message = self.message
            dates = log_entry.data.get("dates") or []
            if dates:
                message = f"{message} : {' ; '.join(dates)}"
            comment = log_entry.data.get("comment")
            if comment:
                message = f"{message} (« {comment} »)"
            return message

    @actions.register_action(rooms.CANCELLED)
    class WholeCancelled(Cancelled):
        label = _("Annuler la réservation de salle")
        message = _("Réservation de salle annulée")

    @actions.register_action(rooms.DATE_CANCELLED)
    class DateCancelled(Cancelled):
        label = _("Annuler une date de la réservation")
        message = _("Date de la réservation annulée")


hooks.register("register_admin_viewset", viewsets.EventPageViewSet)
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
