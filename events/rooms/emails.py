"""What each side of a room booking is told by e-mail, at each step: the
request (CLX gets an acknowledgement, the médiathèque's deciders get the
request), then the decision (CLX gets it with the comment, the deciders get
a copy so nobody decides twice), then a withdrawal or a cancellation (the
other partner is told). Every mail links to the request's page in the admin
(its inspect view), which both partners' roles may open. Plain Django mail:
the configured backend queues it with the transaction."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from events.models.rooms import format_span

DECIDE_PERMISSION = ("events", "decide_booking")


REQUESTER_MAIL = "events/rooms/email/booking_requester.txt"
STAFF_MAIL = "events/rooms/email/booking_staff.txt"


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


def request_url(booking):
    """The request's page: where CLX follows it and the médiathèque decides."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("room_bookings:inspect", args=(booking.pk,))


def _context(booking, step, **extra):
    return {
        "booking": booking,
        "step": step,
        "room": booking.room,
        "when": format_span(booking.start, booking.end),
        "series": booking.recurrence_description,
        "admin_url": request_url(booking),
        "requester": booking.requested_by,
        **extra,
    }


SUBJECTS = {
    "requested": _("Demande de salle : %(purpose)s"),
    "confirmed": _("Salle confirmée : %(purpose)s"),
    "declined": _("Salle refusée : %(purpose)s"),
    "withdrawn": _("Demande de salle retirée : %(purpose)s"),
    "cancelled": _("Réservation de salle annulée : %(purpose)s"),
    "date_cancelled": _("Date de salle annulée : %(purpose)s"),
}


def _send(booking, step, template, to, **extra):
    if not to:
        return
    context = _context(booking, step, **extra)
    EmailMessage(
        subject=SUBJECTS[step] % {"purpose": booking.purpose},
        body=render_to_string(template, context),
        to=to,
    ).send()


def _requester(booking):
    user = booking.requested_by
    return [user.email] if user is not None and user.email else []


def send_request(booking, warnings=()):
    """``warnings``: the pending requests this one competes with, in French."""
    extra = {"warnings": list(warnings)}
    _send(
        booking,
        "requested",
        REQUESTER_MAIL,
        _requester(booking),
        **extra,
    )
    _send(
        booking,
        "requested",
        STAFF_MAIL,
        deciders(),
        **extra,
    )


def send_decision(booking):
    step = booking.status
    _send(booking, step, REQUESTER_MAIL, _requester(booking))
    _send(booking, step, STAFF_MAIL, deciders())


def send_cancellation(booking, step, user, *, by_mediatheque, dates=(), comment=""):
    """Tell the other partner that ``user`` withdrew the request or cancelled
    the booking (or some of its ``dates``); the requester hears of it too
    when another CLX account acted for the club."""
    extra = {
        "actor": user.get_full_name() or user.get_username(),
        "by_mediatheque": by_mediatheque,
        "cancelled_dates": list(dates),
        "comment": comment,
    }
    requester = [] if booking.requested_by == user else _requester(booking)
    if by_mediatheque:
        _send(
            booking,
            step,
            REQUESTER_MAIL,
            requester,
            **extra,
        )
        return
    staff = [address for address in deciders() if address != user.email]
    _send(booking, step, STAFF_MAIL, staff, **extra)
    _send(booking, step, REQUESTER_MAIL, requester, **extra)
