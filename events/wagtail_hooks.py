"""Registers the agenda's admin (each feature's `viewsets.py`, their views
in its `admin_views.py`): venues and event types, registrations and their
occurrences, rooms, bookings and financial commitments, appointments, the
agenda's relays, the permission policies of the audit data, and the page
hooks of the publish guard."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from events import permissions
from events.agenda.viewsets import AgendaViewSetGroup
from events.appointments import admin_views as appointments
from events.appointments.viewsets import AppointmentReportViewSet, AppointmentViewSet
from events.finance import admin_views as commitments
from events.finance.panels import CommitmentsPanel
from events.finance.viewsets import CommitmentViewSet, EventPageViewSet
from events.models import (
    AgendaSubscription,
    Booking,
    EventIndexPage,
    EventPage,
    Registration,
    RegistrationList,
)
from events.permissions import may_open_appointments
from events.registrations.panels import RegistrationDatesPanel
from events.registrations.viewsets import (
    RegistrationOccurrenceViewSet,
    RegistrationViewSetGroup,
)
from events.relay.viewsets import ShareViewSet
from events.rooms import rules as rooms
from events.rooms.panels import BookingRequestsPanel
from events.rooms.viewsets import BookingViewSet, RoomViewSet
from events.subscriptions.viewsets import SubscriberViewSet
from portal.admin import ReadOnlyPolicy
from portal.dashboard import QuickAction

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

register_snippet(AgendaViewSetGroup)
hooks.register("register_admin_viewset", RegistrationViewSetGroup)
hooks.register("register_admin_viewset", RegistrationOccurrenceViewSet)

# -- Appointments « sur rendez-vous » -------------------------------------------

hooks.register("register_admin_viewset", AppointmentViewSet)
hooks.register("register_admin_viewset", AppointmentReportViewSet)


@hooks.register("construct_homepage_panels")
def add_events_panels(request, panels):
    """The admin home's panels of the agenda's features, each for the roles
    that act on it (portal.roles); Wagtail sorts them by their ``order``."""
    user = request.user
    if user.has_perm(permissions.VIEW_REGISTRATIONS):
        panels.append(RegistrationDatesPanel())
    if may_open_appointments(user):
        panels.append(appointments.NextSessionsPanel())
    if user.has_perm(permissions.DECIDE_BOOKINGS):
        panels.append(BookingRequestsPanel())
    # Money decisions are a partner's, not a superuser's (events.permissions).
    if permissions.may_authorise_for_town(user):
        panels.append(CommitmentsPanel("town"))
    if permissions.may_agree_for_clx(user):
        panels.append(CommitmentsPanel("clx"))


@hooks.register("portal_quick_actions")
def events_quick_actions():
    return [
        QuickAction(_("Proposer un événement"), "date", 10, EventIndexPage, EventPage),
        QuickAction(
            _("Demander la salle"),
            "home",
            40,
            url_name="room_bookings:add",
            permission=permissions.REQUEST_BOOKINGS,
        ),
    ]


# -- Relaying the agenda: subscribers, « Diffuser l'agenda » --------------------

hooks.register("register_admin_viewset", SubscriberViewSet)
hooks.register("register_admin_viewset", ShareViewSet)

# -- Rooms, bookings and financial commitments ----------------------------------


class RoomsViewSetGroup(ModelViewSetGroup):
    """One menu for the agreement's room and money rules (two features)."""

    items = (RoomViewSet, BookingViewSet, CommitmentViewSet)
    menu_icon = "home"
    menu_label = _("Salles et dépenses")
    menu_name = "salles-et-depenses"
    menu_order = 220


hooks.register("register_admin_viewset", RoomsViewSetGroup)


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


hooks.register("register_admin_viewset", EventPageViewSet)
hooks.register("before_publish_page", commitments.refuse_unsettled_publish)
hooks.register("before_edit_page", commitments.warn_or_refuse_on_edit)
hooks.register("before_bulk_action", commitments.refuse_unsettled_bulk_publish)
hooks.register("before_copy_page", commitments.refuse_live_copy)
hooks.register("after_copy_page", commitments.copy_commitments)
hooks.register("register_page_header_buttons", commitments.commitments_header_button)

# -- Printed programme and posters (events.programme) ----------------------------

# Imported here rather than at the top so that this section stays one hunk.
from events.programme import buttons as programme_buttons  # noqa: E402

hooks.register("register_page_header_buttons", programme_buttons.print_header_buttons)
