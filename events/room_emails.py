"""What each side of a room booking is told by e-mail, at each step: the
request (CLX gets an acknowledgement, the médiathèque's deciders get the
request), then the decision (CLX gets it with the comment, the deciders get
a copy so nobody decides twice). Plain Django mail: the configured backend
queues it with the transaction."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from .models.rooms import format_span

DECIDE_PERMISSION = ("events", "decide_booking")


def deciders():
    """E-mail addresses of the active people who confirm bookings."""
    app_label, codename = DECIDE_PERMISSION
    holds = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    users = get_user_model().objects.filter(holds, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _context(booking, step):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return {
        "booking": booking,
        "step": step,
        "room": booking.room,
        "when": format_span(booking.start, booking.end),
        "series": booking.recurrence_description,
        "admin_url": base + reverse("room_bookings:edit", args=(booking.pk,)),
        "requester": booking.requested_by,
    }


SUBJECTS = {
    "requested": _("Demande de salle : %(purpose)s"),
    "confirmed": _("Salle confirmée : %(purpose)s"),
    "declined": _("Salle refusée : %(purpose)s"),
}


def _send(booking, step, template, to):
    if not to:
        return
    context = _context(booking, step)
    EmailMessage(
        subject=SUBJECTS[step] % {"purpose": booking.purpose},
        body=render_to_string(template, context),
        to=to,
    ).send()


def _requester(booking):
    user = booking.requested_by
    return [user.email] if user is not None and user.email else []


def send_request(booking):
    _send(
        booking, "requested", "events/email/booking_requester.txt", _requester(booking)
    )
    _send(booking, "requested", "events/email/booking_staff.txt", deciders())


def send_decision(booking):
    step = booking.status
    _send(booking, step, "events/email/booking_requester.txt", _requester(booking))
    _send(booking, step, "events/email/booking_staff.txt", deciders())
