"""The e-mails a registered person receives: « confirmez votre inscription »
(the link whose button confirms the address, while the seats are held), the
registration itself once confirmed (a seat, or the waiting list), the
promotion from the waiting list, the reminder the day before, and « gérer mon
inscription » when someone registers that address again (the registration is
left as it was). Each one is French, text and HTML; all but the first carry
the private cancel and manage links and, when a seat is confirmed, the
occurrence as an .ics attachment. None tells a rank on the waiting list."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from events.agenda.ical import occurrence_calendar
from events.registrations.links import cancel_token, confirm_token, manage_token
from portal.mail import concerning, site_root

KINDS = ("confirm", "received", "promoted", "reminder", "manage")


def cancel_url(registration):
    path = reverse(
        "events:registration_cancel", kwargs={"token": cancel_token(registration)}
    )
    return site_root(registration.event) + path


def confirm_url(registration):
    path = reverse(
        "events:registration_confirm", kwargs={"token": confirm_token(registration)}
    )
    return site_root(registration.event) + path


def manage_url(registration):
    path = reverse(
        "events:registration_manage", kwargs={"token": manage_token(registration)}
    )
    return site_root(registration.event) + path


def build(registration, kind):
    """The EmailMultiAlternatives for one registration, ready to send."""
    if kind not in KINDS:
        raise ValueError(kind)
    event = registration.event
    occurrence = event.get_occurrence(registration.occurrence_start)
    context = {
        "registration": registration,
        "event": event,
        "occurrence": occurrence,
        "start": timezone.localtime(registration.occurrence_start),
        "end": timezone.localtime(occurrence.end) if occurrence else None,
        "venue": getattr(event, "venue", None),
        "event_url": event.get_full_url() or "",
        "cancel_url": cancel_url(registration),
        "manage_url": manage_url(registration),
        "confirm_url": confirm_url(registration),
        "hold_expires_at": (
            timezone.localtime(registration.hold_expires_at)
            if registration.hold_expires_at
            else None
        ),
        "privacy_url": site_root(event) + "/donnees-personnelles/",
        "kind": kind,
    }
    template = f"events/registrations/email/registration_{kind}"
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[registration.email],
    )
    message.attach_alternative(
        render_to_string(f"{template}.html", context), "text/html"
    )
    # Queued (portal.mail): dropped if the registration is erased meanwhile.
    concerning(message, registration)
    if registration.is_confirmed and occurrence is not None:
        message.attach(
            "atelier.ics",
            occurrence_calendar(event, occurrence),
            "text/calendar; charset=utf-8; method=PUBLISH",
        )
    return message


def send(registration, kind):
    build(registration, kind).send()
