"""Every e-mail the portal sends goes through the task queue.

The rule: sending a message stores it (`OutgoingMail`) in the transaction of
whatever decided to send it, and enqueues its delivery in that same
transaction, so a rolled-back registration sends nothing and a committed one
always sends. `QueuedEmailBackend` is the project's `EMAIL_BACKEND`, so
`send_mail`, `EmailMessage.send()`, Wagtail's workflow notifications and
password resets are all queued without knowing it.

The task delivers through the real backend (`PORTAL_DELIVERY_EMAIL_BACKEND`:
SMTP in production) after claiming the message by a status transition, so a
message is never sent twice by two workers. A failed delivery is retried with
backoff (30 s, 1 min, 2 min, 5 min… then hourly) until `retry_until`
(`PORTAL_MAIL_RETRY_HOURS`, 24 h after queueing), then marked « en échec »
for staff, who may send it again. A message about a row deleted since (a
registration erased) is dropped quietly. A worker killed mid-delivery gives
its claim back when the lease runs out; `manage.py deliver_queued_mail`
(scheduled) delivers whatever the queue lost.
"""

import base64
import logging
from datetime import timedelta
from email.mime.base import MIMEBase
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task
from wagtail.models import Site

from .models import OutgoingMail


def site_root(page=None):
    """scheme://host[:port] for the links of a mail: the root of `page`'s
    site when a page is given (an event of another Site links to that
    Site), else the default Site's, else WAGTAILADMIN_BASE_URL."""
    if page is not None:
        url = page.get_full_url()
        if url:
            parts = urlsplit(url)
            return f"{parts.scheme}://{parts.netloc}"
    else:
        site = (
            Site.objects.filter(is_default_site=True).only("hostname", "port").first()
        )
        if site is not None:
            return site.root_url.rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


logger = logging.getLogger(__name__)

# Delay before retry n (seconds); the last one repeats until retry_until.
RETRY_DELAYS = [30, 60, 120, 300, 600, 1200, 1800, 3600]
# How long a worker may hold a message it claimed before another takes it.
LEASE = timedelta(minutes=10)
ERROR_MAX_LENGTH = 2000


def concerning(message, instance):
    """Tie `message` to the row it is about: if that row is deleted before
    delivery, the message is dropped. Returns the message."""
    message.portal_about = instance
    return message


def retry_window():
    return timedelta(hours=getattr(settings, "PORTAL_MAIL_RETRY_HOURS", 24))


def retry_delay(attempts):
    """Seconds to wait after the `attempts`-th failed delivery."""
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


# --- Storing a message -------------------------------------------------------


def _attachment(item):
    if isinstance(item, MIMEBase):
        filename = item.get_filename()
        content = item.get_payload(decode=True) or b""
        mimetype = item.get_content_type()
    else:
        filename, content, mimetype = item
    stored = {"filename": filename, "mimetype": mimetype}
    if isinstance(content, str):
        stored["text"] = content
    else:
        stored["base64"] = base64.b64encode(content).decode("ascii")
    return stored


def store(message, now=None):
    """The OutgoingMail row for an EmailMessage (not yet enqueued)."""
    now = now or timezone.now()
    about = getattr(message, "portal_about", None)
    return OutgoingMail.objects.create(
        subject=str(message.subject),
        from_email=str(message.from_email or settings.DEFAULT_FROM_EMAIL),
        to=[str(a) for a in message.to],
        cc=[str(a) for a in message.cc],
        bcc=[str(a) for a in message.bcc],
        reply_to=[str(a) for a in message.reply_to],
        headers={str(k): str(v) for k, v in message.extra_headers.items()},
        body=str(message.body or ""),
        content_subtype=message.content_subtype,
        alternatives=[
            [str(content), mimetype]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        attachments=[_attachment(item) for item in message.attachments],
        about_type=ContentType.objects.get_for_model(about) if about else None,
        about_id=str(about.pk) if about else "",
        next_attempt_at=now,
        retry_until=now + retry_window(),
    )


def enqueue(mail):
    """Enqueue delivery of a stored message. With the database task backend
    the task row joins the current transaction."""
    deliver_mail.enqueue(mail.pk)


class QueuedEmailBackend(BaseEmailBackend):
    """EMAIL_BACKEND that queues: every message becomes an OutgoingMail row
    and a delivery task, in the current transaction."""

    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            with transaction.atomic():
                enqueue(store(message))
            count += 1
        return count


# --- Delivering it -----------------------------------------------------------


def as_email(mail, connection=None):
    """The EmailMultiAlternatives a stored message stands for."""
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=mail.from_email,
        to=mail.to,
        cc=mail.cc,
        bcc=mail.bcc,
        reply_to=mail.reply_to,
        headers=mail.headers,
        connection=connection,
    )
    message.content_subtype = mail.content_subtype
    for content, mimetype in mail.alternatives:
        message.attach_alternative(content, mimetype)
    for item in mail.attachments:
        if "text" in item:
            content = item["text"]
        else:
            content = base64.b64decode(item["base64"])
        message.attach(item["filename"], content, item["mimetype"])
    return message


def _still_wanted(mail):
    if mail.about_type_id is None:
        return not mail.about_id
    model = mail.about_type.model_class()
    if model is None:
        return False
    return model._base_manager.filter(pk=mail.about_id).exists()


def _claim(mail_id, now):
    """Status transition pending → sending: one worker wins, the others see
    nothing to do."""
    return OutgoingMail.objects.filter(
        pk=mail_id,
        status=OutgoingMail.Status.PENDING,
        next_attempt_at__lte=now,
    ).update(
        status=OutgoingMail.Status.SENDING,
        lease_until=now + LEASE,
        attempts=F("attempts") + 1,
        last_attempt_at=now,
    )


def deliver(mail_id, now=None):
    """Try to deliver one queued message now. Returns its status afterwards,
    or None when it was not this caller's to deliver."""
    now = now or timezone.now()
    if not _claim(mail_id, now):
        return None
    mail = OutgoingMail.objects.select_related("about_type").get(pk=mail_id)
    claimed = OutgoingMail.objects.filter(
        pk=mail_id, status=OutgoingMail.Status.SENDING
    )
    if not _still_wanted(mail):
        claimed.update(status=OutgoingMail.Status.DROPPED, lease_until=None)
        return OutgoingMail.Status.DROPPED
    try:
        connection = get_connection(
            settings.PORTAL_DELIVERY_EMAIL_BACKEND, fail_silently=False
        )
        connection.send_messages([as_email(mail, connection)])
    except Exception as error:
        return _failed(mail, error, timezone.now())
    claimed.update(
        status=OutgoingMail.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        lease_until=None,
        next_attempt_at=None,
    )
    return OutgoingMail.Status.SENT


def _failed(mail, error, now):
    text = f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]
    logger.warning("Delivery of mail %s failed: %s", mail.pk, text)
    claimed = OutgoingMail.objects.filter(
        pk=mail.pk, status=OutgoingMail.Status.SENDING
    )
    if mail.retry_until is None or now >= mail.retry_until:
        claimed.update(
            status=OutgoingMail.Status.FAILED,
            last_error=text,
            lease_until=None,
            next_attempt_at=None,
        )
        return OutgoingMail.Status.FAILED
    next_at = min(now + timedelta(seconds=retry_delay(mail.attempts)), mail.retry_until)
    claimed.update(
        status=OutgoingMail.Status.PENDING,
        last_error=text,
        lease_until=None,
        next_attempt_at=next_at,
    )
    # Backends that cannot defer (the immediate one, in tests) leave the
    # retry to `deliver_queued_mail`.
    if deliver_mail.get_backend().supports_defer:
        deliver_mail.using(run_after=next_at).enqueue(mail.pk)
    return OutgoingMail.Status.PENDING


@task()
def deliver_mail(mail_id):
    status = deliver(mail_id)
    return status and str(status)


# --- What the queue lost, and staff's « Renvoyer » ---------------------------


def release_expired_leases(now=None):
    """Messages claimed by a worker that died go back to the queue, due at
    once. Returns their ids."""
    now = now or timezone.now()
    expired = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.SENDING, lease_until__lt=now
    )
    released = []
    for pk in expired.values_list("pk", flat=True):
        if expired.filter(pk=pk).update(
            status=OutgoingMail.Status.PENDING, lease_until=None, next_attempt_at=now
        ):
            released.append(pk)
    return released


def overdue(now=None, grace=timedelta(minutes=2)):
    """Pending messages whose delivery should have happened `grace` ago."""
    now = now or timezone.now()
    return OutgoingMail.objects.filter(
        status=OutgoingMail.Status.PENDING, next_attempt_at__lte=now - grace
    ).order_by("next_attempt_at")


def resend(mail, now=None):
    """Staff send a failed message again: a fresh retry window starts."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = OutgoingMail.objects.filter(
            pk=mail.pk, status=OutgoingMail.Status.FAILED
        ).update(
            status=OutgoingMail.Status.PENDING,
            next_attempt_at=now,
            retry_until=now + retry_window(),
        )
        if updated:
            deliver_mail.enqueue(mail.pk)
    return bool(updated)


def prune(now=None):
    """Sent and dropped messages hold personal data: kept this long only."""
    now = now or timezone.now()
    days = getattr(settings, "PORTAL_MAIL_RETENTION_DAYS", 30)
    deleted, _ = OutgoingMail.objects.filter(
        status__in=[OutgoingMail.Status.SENT, OutgoingMail.Status.DROPPED],
        created_at__lt=now - timedelta(days=days),
    ).delete()
    return deleted


def failed_count():
    return OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED).count()
