"""The « Contacter » rule: a visitor's message reaches a listed volunteer who
accepts contact, by e-mail, without the visitor ever seeing the address. One
address may send at most CONTACT_RATE_LIMIT messages per hour (429 beyond);
robots that fill the honeypot are thanked and their message dropped; links
and markup are refused. Nothing is stored: the message only travels by mail."""

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .forms import ContactForm

RATE_WINDOW_SECONDS = 60 * 60


def rate_limit():
    return getattr(settings, "VOLUNTEER_CONTACT_RATE_LIMIT", 5)


def _client_ip(request):
    return request.META.get("REMOTE_ADDR", "unknown")


def _cache_key(request):
    return f"volunteers:contact:{_client_ip(request)}"


def is_rate_limited(request):
    return cache.get(_cache_key(request), 0) >= rate_limit()


def _count_attempt(request):
    key = _cache_key(request)
    if cache.add(key, 1, RATE_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_WINDOW_SECONDS)


def send(volunteer, form, request):
    data = form.cleaned_data
    body = render_to_string(
        "volunteers/contact_email.txt",
        {"volunteer": volunteer, "data": data, "site_name": settings.WAGTAIL_SITE_NAME},
    )
    EmailMessage(
        subject=_("[Atelier numérique] Message de %(name)s") % {"name": data["name"]},
        body=body,
        to=[volunteer.email],
        reply_to=[data["email"]],
    ).send()


def handle(request, volunteer):
    """Returns (form, status) to render, or (None, 302) once the message is
    sent (or silently dropped for a robot)."""
    if request.method != "POST":
        return ContactForm(), 200
    form = ContactForm(request.POST)
    if is_rate_limited(request):
        form.add_error(
            None,
            _(
                "Vous avez envoyé trop de messages en peu de temps. Réessayez "
                "dans une heure, ou contactez directement la médiathèque."
            ),
        )
        return form, 429
    _count_attempt(request)
    if form.is_bot:
        return None, 302
    if not form.is_valid():
        return form, 400
    send(volunteer, form, request)
    return None, 302
