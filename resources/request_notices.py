"""Staff hear of each badge request exactly once, and a burst never floods them.

The rule: while no more than `BADGE_REQUEST_MAILS_PER_HOUR` requests arrived
in the last hour, each request gets its own mail to staff at once; beyond,
it gets none and waits for the digest, one mail listing every pending
request not yet announced. The digest is a task deferred by
`BADGE_REQUEST_DIGEST_DELAY_MINUTES`, enqueued by the first request of a
burst, and `manage.py send_badge_request_digest` (cron) sends whatever the
queue lost, so no request is forgotten.

A request is marked (`staff_notified_at`) in the transaction that queues its
mail (portal.mail), under a row lock: two workers, or the task and the
command, never announce it twice. A request nobody could be told about (no
address to write to) stays unmarked and goes out in a later digest.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from . import openbadges
from .awarding import award_badge_holders
from .models import BadgeRequest

# The threshold counts the requests received over this window.
WINDOW = timedelta(hours=1)
# A digest lists this many requests; the rest are counted, with the link to
# the admin listing that holds them all.
DIGEST_MAX_LISTED = 50


def mails_per_hour():
    return getattr(settings, "BADGE_REQUEST_MAILS_PER_HOUR", 5)


def digest_delay():
    return timedelta(
        minutes=getattr(settings, "BADGE_REQUEST_DIGEST_DELAY_MINUTES", 30)
    )


def staff_recipients(request=None):
    """The issuer settings' team address, or everyone who may award."""
    issuer = openbadges.issuer_settings(request)
    if issuer.notification_email:
        return [issuer.notification_email]
    return list(award_badge_holders().values_list("email", flat=True))


def _unannounced():
    return BadgeRequest.objects.filter(
        status=BadgeRequest.Status.PENDING, staff_notified_at__isnull=True
    )


def _admin_url(badge_request, request=None):
    return openbadges.absolute(
        reverse("badge_requests:inspect", args=[badge_request.pk]), request
    )


def notify_staff(badge_request, request=None, now=None):
    """Tell staff about a request just stored: its own mail under the
    threshold, else a place in the next digest. Returns the number of
    messages queued now (0 or 1)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            BadgeRequest.objects.select_for_update(of=("self",))
            .select_related("badge_class", "learning_path")
            .filter(pk=badge_request.pk, staff_notified_at__isnull=True)
            .first()
        )
        if locked is None:
            return 0  # already announced (by a digest), or erased since
        recent = BadgeRequest.objects.filter(created_at__gt=now - WINDOW).count()
        if recent > mails_per_hour():
            _schedule_digest(exclude=locked, now=now)
            return 0
        recipients = staff_recipients(request)
        if not recipients:
            return 0
        sent = send_mail(
            _("Nouvelle demande de badge : %(badge)s")
            % {"badge": locked.badge_class.name},
            render_to_string(
                "resources/badges/emails/request_staff.txt",
                {"badge_request": locked, "admin_url": _admin_url(locked, request)},
            ),
            None,
            recipients,
        )
        locked.staff_notified_at = now
        locked.save(update_fields=["staff_notified_at"])
    return sent


def _schedule_digest(exclude, now):
    """Enqueue the deferred digest for the first request of a burst (one
    still waiting means a digest is already due). Backends that cannot defer
    (the immediate one, in tests) leave it to the scheduled command."""
    if _unannounced().exclude(pk=exclude.pk).exists():
        return
    if send_request_digest.get_backend().supports_defer:
        send_request_digest.using(run_after=now + digest_delay()).enqueue()


def send_digest(now=None):
    """One mail listing every pending request not yet announced, which are
    then marked. Returns the number of requests announced (0: nothing sent)."""
    now = now or timezone.now()
    with transaction.atomic():
        waiting = list(
            _unannounced()
            .select_for_update(of=("self",))
            .select_related("badge_class")
            .order_by("created_at", "pk")
        )
        if not waiting:
            return 0
        recipients = staff_recipients()
        if not recipients:
            return 0
        listed = [
            {"badge_request": item, "admin_url": _admin_url(item)}
            for item in waiting[:DIGEST_MAX_LISTED]
        ]
        send_mail(
            ngettext(
                "Demandes de badge : %(count)d nouvelle demande",
                "Demandes de badge : %(count)d nouvelles demandes",
                len(waiting),
            )
            % {"count": len(waiting)},
            render_to_string(
                "resources/badges/emails/request_digest.txt",
                {
                    "listed": listed,
                    "count": len(waiting),
                    "not_listed": len(waiting) - len(listed),
                    "per_hour": mails_per_hour(),
                    "listing_url": openbadges.absolute(reverse("badge_requests:index")),
                },
            ),
            None,
            recipients,
        )
        BadgeRequest.objects.filter(pk__in=[item.pk for item in waiting]).update(
            staff_notified_at=now
        )
    return len(waiting)


@task()
def send_request_digest():
    return send_digest()
