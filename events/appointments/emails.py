"""The e-mails of an appointment: booked, moved, cancelled (by the person
or because the date is cancelled), « you already have one » (sent to the
owner when someone books again with their address) and the reminder the day
before. Each is French, text and HTML, carries the private « gérer mon
rendez-vous » link and the slot as an .ics file (cancelled ones remove it
from the calendar: same UID, STATUS:CANCELLED)."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.agenda.ical import slot_calendar
from portal import formats
from portal.mail import site_root

KINDS = ("booked", "already", "moved", "cancelled", "occurrence_cancelled", "reminder")
CANCELLED_KINDS = ("cancelled", "occurrence_cancelled")


def manage_url(event, token):
    path = reverse("events:appointment_manage", kwargs={"token": token})
    return site_root(event) + path


def subject(kind, event, start):
    day = formats.short_date(start)
    subjects = {
        "booked": _("Rendez-vous confirmé : %(title)s, le %(day)s"),
        "already": _("Votre rendez-vous : %(title)s, le %(day)s"),
        "moved": _("Rendez-vous déplacé : %(title)s, le %(day)s"),
        "cancelled": _("Rendez-vous annulé : %(title)s, le %(day)s"),
        "occurrence_cancelled": _("Séance annulée : %(title)s, le %(day)s"),
        "reminder": _("Rappel : votre rendez-vous demain, %(title)s"),
    }
    return subjects[kind] % {"title": event.title, "day": day}


def build(appointment, kind, *, token, reason="", held=None):
    if kind not in KINDS:
        raise ValueError(kind)
    event = appointment.session.event
    context = {
        "appointment": appointment,
        "event": event,
        "kind": kind,
        "start": timezone.localtime(appointment.slot_start),
        "end": timezone.localtime(appointment.slot_end),
        "venue": getattr(event, "venue", None),
        "event_url": event.get_full_url() or "",
        "manage_url": manage_url(event, token),
        "privacy_url": site_root(event) + "/donnees-personnelles/",
        "reason": reason,
        # « already »: the place kept for the owner at the time they asked.
        "held_start": timezone.localtime(held.slot_start) if held else None,
    }
    context["subject"] = subject(kind, event, appointment.slot_start)
    message = EmailMultiAlternatives(
        subject=context["subject"],
        body=render_to_string("events/appointments/email/message.txt", context),
        to=[appointment.email],
    )
    message.attach_alternative(
        render_to_string("events/appointments/email/message.html", context),
        "text/html",
    )
    message.attach(
        "rendez-vous.ics",
        slot_calendar(
            event,
            appointment.slot_start,
            appointment.slot_end,
            f"rdv-{appointment.public_id.hex}",
            cancelled=kind in CANCELLED_KINDS,
            summary=_("Rendez-vous : %(title)s") % {"title": event.title},
        ),
        "text/calendar; charset=utf-8; method=PUBLISH",
    )
    return message


def send(appointment, kind, *, token, reason="", held=None):
    build(appointment, kind, token=token, reason=reason, held=held).send()
