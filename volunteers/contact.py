"""The « Contacter » rule: a visitor's message reaches a listed volunteer who
accepts contact, by e-mail, without the visitor ever seeing the address. One
address may post the form a few times an hour, and one volunteer receives a
few messages a day (limits "contact-address" and "contact-volunteer" of
portal.ratelimit, 429 beyond); robots that fill the honeypot are thanked and
their message dropped; links and markup are refused. Nothing is stored: the
message only travels by mail."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from portal import ratelimit

from .forms import ContactForm


def send(volunteer, form, request):
    data = form.cleaned_data
    body = render_to_string(
        "volunteers/contact_email.txt",
        {"volunteer": volunteer, "data": data, "site_name": settings.WAGTAIL_SITE_NAME},
    )
    # A header holds one line: whatever whitespace the name carries (CR, LF)
    # becomes one space, so it can never add a header.
    name = " ".join(data["name"].split())
    EmailMessage(
        subject=_("[Atelier numérique] Message de %(name)s") % {"name": name},
        body=body,
        to=[volunteer.email],
        reply_to=[data["email"]],
    ).send()


def handle(request, volunteer):
    """Returns (form, status) to render, or (None, 302) once the message is
    sent (or silently dropped for a robot)."""
    if request.method != "POST":
        return ContactForm(), 200
    # Every post counts, robots' and invalid ones included.
    ratelimit.hit_address(request, "contact-address")
    form = ContactForm(request.POST)
    if form.is_bot:
        return None, 302
    if not form.is_valid():
        return form, 400
    ratelimit.hit("contact-volunteer", volunteer.pk)
    send(volunteer, form, request)
    return None, 302
