"""Deliveries to followers' inboxes, through the task queue.

Rule: one signed POST per distinct inbox (a server's shared inbox serves all
its accounts). A failure (network, 5xx, 429) is retried with backoff (30 s,
1 min, 5 min, 30 min, 2 h, 6 h); every failure is counted on the followers
behind that inbox, and a server that has failed for `GIVE_UP_AFTER` (and at
least `GIVE_UP_FAILURES` times) is given up (state « serveur injoignable »):
it gets nothing more until its accounts follow again. A 410 Gone gives up at
once. Blocked followers never get anything.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task
from wagtail.signals import page_published, page_unpublished

from events.fediverse import client, objects
from events.fediverse.models import FederatedEvent, Follower
from events.models import EventPage

logger = logging.getLogger(__name__)

RETRY_DELAYS = [30, 60, 300, 1800, 7200, 21600]
GIVE_UP_AFTER = timedelta(days=3)
GIVE_UP_FAILURES = 5


def _succeeded(inbox):
    Follower.objects.filter(state=Follower.ACCEPTED).filter(_inbox_is(inbox)).update(
        failures=0, failing_since=None
    )


def _inbox_is(inbox):
    return Q(inbox=inbox) | Q(shared_inbox=inbox)


def _failed(inbox, gone=False):
    now = timezone.now()
    followers = Follower.objects.filter(state=Follower.ACCEPTED).filter(
        _inbox_is(inbox)
    )
    followers.filter(failing_since__isnull=True).update(failing_since=now)
    followers.update(failures=F("failures") + 1)
    stale = followers.filter(
        failing_since__lte=now - GIVE_UP_AFTER, failures__gte=GIVE_UP_FAILURES
    )
    if gone:
        stale = followers
    stale.update(state=Follower.GONE)


@task()
def deliver(inbox, document, name=objects.AGENDA, attempt=1):
    """POST `document` to `inbox`, signed as `name`; retried on failure."""
    try:
        status = client.post_json(inbox, document, objects.key_id(name))
    except client.RemoteError as error:
        logger.info("fediverse delivery to %s failed: %s", inbox, error)
        status = None
    if status is not None and 200 <= status < 300:
        _succeeded(inbox)
        return status
    if status == 410:
        _failed(inbox, gone=True)
        return status
    if status is not None and 400 <= status < 500 and status != 429:
        return status  # refused for good: retrying would not help
    _failed(inbox)
    if attempt <= len(RETRY_DELAYS) and deliver.get_backend().supports_defer:
        run_after = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt - 1])
        deliver.using(run_after=run_after).enqueue(inbox, document, name, attempt + 1)
    return status


def send(document, inbox, name=objects.AGENDA):
    """Queue one delivery once the current transaction commits."""
    transaction.on_commit(lambda: deliver.enqueue(inbox, document, name))


def to_followers(document, name=objects.AGENDA):
    """Queue `document` to every accepted follower of `name`, once per inbox."""
    inboxes = set()
    for follower in Follower.objects.filter(local_actor=name, state=Follower.ACCEPTED):
        inboxes.add(follower.delivery_inbox)
    for inbox in sorted(inboxes):
        send(document, inbox, name)
    return len(inboxes)


# --- Events published, changed, withdrawn ------------------------------------


def _audiences(event):
    """The local actors an event goes out as: the agenda and its partners."""
    return [objects.AGENDA, *event.partners.values_list("slug", flat=True)]


def on_published(sender, instance, **kwargs):
    # Behind a view restriction, an event is not public: never federated.
    event = (
        objects.with_next_date(
            type(instance).objects.live().public().filter(pk=instance.pk)
        )
        .select_related("venue", "image")
        .first()
    )
    if event is None or not event.live:
        return
    _, created = FederatedEvent.objects.update_or_create(event_id=event.pk)
    kind = "Create" if created else "Update"
    followed = set(
        Follower.objects.filter(state=Follower.ACCEPTED).values_list(
            "local_actor", flat=True
        )
    )
    for name in set(_audiences(event)) & followed:
        document = objects.activity(kind, objects.event_object(event, name), name)
        to_followers(document, name)


def on_unpublished(sender, instance, **kwargs):
    if not FederatedEvent.objects.filter(event_id=instance.pk).delete()[0]:
        return
    for name in _audiences(instance):
        to_followers(
            objects.activity("Delete", objects.tombstone(instance.pk), name), name
        )


def connect_signals():
    page_published.connect(
        on_published, sender=EventPage, dispatch_uid="fediverse-published"
    )
    page_unpublished.connect(
        on_unpublished, sender=EventPage, dispatch_uid="fediverse-unpublished"
    )
