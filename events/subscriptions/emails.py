"""The e-mails of the agenda by e-mail: the confirmation request (double
opt-in) and the digests. Each is French, plain text and HTML; a digest
carries its unsubscribe link in the body and in the `List-Unsubscribe`
headers of RFC 2369 / RFC 8058 (one-click POST). Links point to the
default Wagtail Site, i.e. where the portal is actually served."""

from urllib.parse import urlsplit

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from portal.mail import site_root

EMAIL = "events/subscriptions/email/subscription_"


def confirm_url(key, root=None):
    path = reverse("events:subscription_confirm", kwargs={"key": key})
    return (root or site_root()) + path


def unsubscribe_url(token, root=None):
    path = reverse("events:subscription_unsubscribe", kwargs={"token": token})
    return (root or site_root()) + path


def _message(template, context, to, headers=None):
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    context = {**context, "subject": subject}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(
        render_to_string(f"{template}.html", context), "text/html"
    )
    return message


def confirmation(subscription, key):
    """The mail asking the person to confirm (nothing else is sent before)."""
    root = site_root()
    context = {
        "subscription": subscription,
        "confirm_url": confirm_url(key, root),
        "subscribe_url": root + reverse("events:subscribe"),
        "privacy_url": root + "/donnees-personnelles/",
        "partners": list(subscription.partners.all()),
        "event_types": list(subscription.event_types.all()),
    }
    return _message(EMAIL + "confirm", context, subscription.email)


def digest(subscription, period, occurrences, unsubscribe_token):
    """One digest: ``period`` is a `subscriptions.Period`, ``occurrences``
    the dates chosen for this subscription, ``unsubscribe_token`` its
    signed unsubscribe link's token."""
    root = site_root()
    leave = unsubscribe_url(unsubscribe_token, root)
    context = {
        "subscription": subscription,
        "period": period,
        "occurrences": occurrences,
        "root": root,
        "agenda_url": root + "/agenda/",
        "unsubscribe_url": leave,
        "subscribe_url": root + reverse("events:subscribe"),
        "privacy_url": root + "/donnees-personnelles/",
        "partners": list(subscription.partners.all()),
        "event_types": list(subscription.event_types.all()),
    }
    headers = {
        "List-Unsubscribe": f"<{leave}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"<agenda.{urlsplit(root).hostname or 'localhost'}>",
        "Auto-Submitted": "auto-generated",
    }
    return _message(
        EMAIL + "digest",
        context,
        subscription.email,
        headers,
    )
