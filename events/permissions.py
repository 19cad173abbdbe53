"""Permission names of the agenda's admin, as the roles matrix
(`portal/roles.py`) grants them, and the checks built on them.

- Registrations: seeing names and e-mails takes VIEW_REGISTRATIONS; the
  exports and the attendance sheet (where staff tick who came)
  EXPORT_REGISTRATIONS; closing registration to an occurrence and serving its
  waiting list CHANGE_REGISTRATIONS; erasing one on request,
  `events.delete_registration`.
- Appointments: VIEW_APPOINTMENTS sees every day sheet, CHANGE_APPOINTMENTS
  also records outcomes, sets the volunteers on duty and cancels for someone
  who called; DELETE_APPOINTMENTS erases one on request (anonymous count
  kept); RECORD_APPOINTMENTS sees and records only the events the user
  facilitates: the active volunteers the médiathèque linked to their
  account (`volunteers.VolunteerAccount`), never anything the account
  can change about itself such as its e-mail;
  REPORT_APPOINTMENTS reads the yearly report, which holds no personal data.
- Rooms and money: who requests, decides and sees bookings; who sees and
  exports the financial commitments (their decisions are `events.finance.rules`'s).
  A decision on money is a partner's: it is taken by an account whose role
  (group) holds AUTHORISE_TOWN_COMMITMENTS (the médiathèque, for the town) or
  AGREE_CLX_COMMITMENTS (CLX – Coordination), never by superuser status,
  which would let the médiathèque's admin account agree in CLX's name. A CLX
  account changes only the lines CLX proposed.
- Agenda subscribers: seen with Django's view permission, exported with
  EXPORT_SUBSCRIBERS.
"""

from django.db.models import Q

from events.models import EventPage

# -- Registrations ----------------------------------------------------------------

VIEW_REGISTRATIONS = "events.view_registration"
EXPORT_REGISTRATIONS = "events.export_registration"
CHANGE_REGISTRATIONS = "events.change_registration"

# -- Appointments -----------------------------------------------------------------

VIEW_APPOINTMENTS = "events.view_appointment"
CHANGE_APPOINTMENTS = "events.change_appointment"
RECORD_APPOINTMENTS = "events.record_appointment"
REPORT_APPOINTMENTS = "events.report_appointment"
DELETE_APPOINTMENTS = "events.delete_appointment"

# -- Rooms, bookings, financial commitments ---------------------------------------

VIEW_ROOMS = "events.view_room"
CHANGE_ROOMS = "events.change_room"
REQUEST_BOOKINGS = "events.add_booking"
VIEW_BOOKINGS = "events.view_booking"
DECIDE_BOOKINGS = "events.decide_booking"
VIEW_COMMITMENTS = "events.view_financialcommitment"
CHANGE_COMMITMENTS = "events.change_financialcommitment"
EXPORT_COMMITMENTS = "events.export_financialcommitment"
# The two agreements a commitment may need (events.finance.rules decides).
AUTHORISE_TOWN_COMMITMENTS = "events.authorise_town_commitment"
AGREE_CLX_COMMITMENTS = "events.agree_clx_commitment"

# -- Agenda subscribers -----------------------------------------------------------

EXPORT_SUBSCRIBERS = "events.export_agendasubscription"


def _role_holds(user, permission):
    """One of the account's groups (roles) holds `permission`."""
    app_label, codename = permission.split(".")
    return user.groups.filter(
        permissions__content_type__app_label=app_label,
        permissions__codename=codename,
    ).exists()


def _granted_by_role(user, permission):
    """`user.has_perm(permission)` through one of the account's groups: a
    superuser outside the group that holds it does not get it here."""
    return user.has_perm(permission) and _role_holds(user, permission)


def may_authorise_for_town(user):
    return _granted_by_role(user, AUTHORISE_TOWN_COMMITMENTS)


def may_agree_for_clx(user):
    return _granted_by_role(user, AGREE_CLX_COMMITMENTS)


def may_change_commitment(user, line):
    """The médiathèque changes any line; other accounts only the lines
    proposed by an account that is not the médiathèque's."""
    if not user.has_perm(CHANGE_COMMITMENTS):
        return False
    if may_authorise_for_town(user):
        return True
    proposer = line.created_by
    return proposer is not None and not _role_holds(
        proposer, AUTHORISE_TOWN_COMMITMENTS
    )


def may_open_appointments(user):
    return user.has_perm(VIEW_APPOINTMENTS) or user.has_perm(RECORD_APPOINTMENTS)


def appointment_events(user):
    """The events « sur rendez-vous » whose appointments the user may see."""
    events = EventPage.objects.filter(appointments_enabled=True)
    if user.has_perm(VIEW_APPOINTMENTS):
        return events
    if user.has_perm(RECORD_APPOINTMENTS) and user.pk:
        return events.filter(_facilitated_by(user)).distinct()
    return events.none()


def _facilitated_by(user, prefix="facilitators__"):
    return Q(
        **{f"{prefix}account__user": user, f"{prefix}active": True},
    )


def may_record_appointments(user, event):
    if user.has_perm(CHANGE_APPOINTMENTS):
        return True
    return (
        user.has_perm(RECORD_APPOINTMENTS)
        and bool(user.pk)
        and event.facilitators.filter(_facilitated_by(user, prefix="")).exists()
    )
