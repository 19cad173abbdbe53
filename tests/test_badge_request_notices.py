"""Staff are told about each badge request exactly once: one mail per request
up to the hourly threshold, beyond it one digest (a deferred task, and
`manage.py send_badge_request_digest` for what the queue lost) listing the
requests not yet announced; none is mailed twice, none is forgotten."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.models import OutgoingMail
from resources.models import BadgeRequest
from tests.factories.badges import create_badge_class, create_path, path_index
from tests.task_worker import run_worker

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def badge(home_page):
    badge = create_badge_class(slug="premiers-pas", name="Premiers pas")
    create_path(path_index(home_page), title="Premiers pas", badge_class=badge)
    return badge


@pytest.fixture
def awarders(django_user_model):
    """Two people who may award badges, and one who may not (never told)."""
    award = Permission.objects.get(
        content_type__app_label="resources", codename="award_badge"
    )
    people = []
    for username in ("bibliothecaire", "responsable"):
        user = django_user_model.objects.create_user(
            username=username, email=f"{username}@mediatheque.fr", password="x" * 12
        )
        user.user_permissions.add(award)
        people.append(user)
    django_user_model.objects.create_user(
        username="curieux", email="curieux@mediatheque.fr", password="x" * 12
    )
    return people


def ask(client, number):
    """The public form, as learner `number` from their own address."""
    response = client.post(
        "/badges/premiers-pas/demande/",
        {
            "name": f"Personne {number:02d}",
            "email": f"personne{number:02d}@exemple.fr",
            "evidence_text": "J'ai écrit une lettre avec LibreOffice.",
            "evidence_url": "",
            "consent": "on",
            "show_name": "on",
            "website": "",
        },
        REMOTE_ADDR=f"192.0.2.{number + 1}",
    )
    assert response.status_code == 302, response.content.decode()[:500]


def staff_mails():
    return [m for m in mail.outbox if "bibliothecaire@mediatheque.fr" in m.to]


def announced_in(message):
    """The requests a mail announces, by their admin link."""
    return [
        int(pk)
        for pk in re.findall(r"/admin/badges/demandes/inspect/(\d+)/", message.body)
    ]


def test_a_few_requests_get_one_mail_each(client, badge, awarders):
    for number in range(3):
        ask(client, number)
    messages = staff_mails()
    assert len(messages) == 3
    for message in messages:
        assert message.subject == "Nouvelle demande de badge : Premiers pas"
        assert sorted(message.to) == [
            "bibliothecaire@mediatheque.fr",
            "responsable@mediatheque.fr",
        ]
    assert sorted(pk for m in messages for pk in announced_in(m)) == sorted(
        BadgeRequest.objects.values_list("pk", flat=True)
    )
    assert not any("curieux@mediatheque.fr" in m.to for m in mail.outbox)
    assert not BadgeRequest.objects.filter(staff_notified_at=None).exists()
    # Nothing is left for a digest.
    call_command("send_badge_request_digest", verbosity=0)
    assert len(staff_mails()) == 3


def test_a_burst_gets_the_threshold_then_one_digest_and_never_twice(
    client, badge, awarders, settings
):
    settings.BADGE_REQUEST_MAILS_PER_HOUR = 5
    with time_machine.travel(START, tick=False) as clock:
        for number in range(20):
            ask(client, number)
            clock.shift(datetime.timedelta(minutes=2))  # 20 requests in 40 min
        individual = staff_mails()
        assert len(individual) == 5
        assert BadgeRequest.objects.filter(staff_notified_at=None).count() == 15

        clock.shift(datetime.timedelta(minutes=30))
        call_command("send_badge_request_digest", verbosity=0)
        digests = staff_mails()[5:]
        assert len(digests) == 1
        digest = digests[0]
        assert digest.subject == "Demandes de badge : 15 nouvelles demandes"
        assert "Plus de 5 demandes sont arrivées en une heure" in digest.body
        assert "Personne 05 demande le badge « Premiers pas »" in digest.body
        assert "Personne 19 demande le badge « Premiers pas »" in digest.body
        assert "Personne 04" not in digest.body  # already told on its own
        assert "http://testserver/admin/badges/demandes/" in digest.body

        # Every request in exactly one mail.
        every = [pk for m in staff_mails() for pk in announced_in(m)]
        assert sorted(every) == sorted(
            BadgeRequest.objects.values_list("pk", flat=True)
        )
        assert len(every) == len(set(every)) == 20

        # The digest again: nothing new to say, nothing sent.
        call_command("send_badge_request_digest", verbosity=0)
        call_command("send_badge_request_digest", verbosity=0)
        assert len(staff_mails()) == 6

        # An hour after the burst, requests get their own mail again.
        clock.shift(datetime.timedelta(hours=1))
        ask(client, 30)
        assert len(staff_mails()) == 7
        assert staff_mails()[-1].subject == "Nouvelle demande de badge : Premiers pas"


def test_a_decided_request_is_not_announced_by_the_digest(
    client, badge, awarders, settings
):
    settings.BADGE_REQUEST_MAILS_PER_HOUR = 1
    ask(client, 0)
    ask(client, 1)
    ask(client, 2)
    assert len(staff_mails()) == 1
    BadgeRequest.objects.filter(name="Personne 01").update(
        status=BadgeRequest.Status.DECLINED
    )
    call_command("send_badge_request_digest", verbosity=0)
    (digest,) = staff_mails()[1:]
    assert digest.subject == "Demandes de badge : 1 nouvelle demande"
    assert "Personne 02" in digest.body and "Personne 01" not in digest.body


def test_without_anyone_to_tell_the_request_waits_for_a_later_digest(
    client, badge, django_user_model
):
    ask(client, 0)
    assert mail.outbox == []
    assert BadgeRequest.objects.get().staff_notified_at is None
    user = django_user_model.objects.create_superuser(
        "direction", "direction@mediatheque.fr", "x" * 12
    )
    call_command("send_badge_request_digest", verbosity=0)
    (digest,) = mail.outbox
    assert digest.to == [user.email]
    assert "Personne 00 demande le badge" in digest.body


@pytest.mark.django_db(transaction=True)  # the worker closes its connection
def test_with_the_real_queue_the_burst_enqueues_one_deferred_digest(
    client, badge, awarders, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.BADGE_REQUEST_MAILS_PER_HOUR = 2
    settings.BADGE_REQUEST_DIGEST_DELAY_MINUTES = 30
    digests = DBTaskResult.objects.filter(
        task_path="resources.request_notices.send_request_digest"
    )
    with time_machine.travel(START, tick=False) as clock:
        for number in range(6):
            ask(client, number)
            clock.shift(datetime.timedelta(minutes=1))
        # Two mails queued, one digest due half an hour after the third request.
        assert OutgoingMail.objects.count() == 2
        (due,) = digests
        assert due.run_after == START + datetime.timedelta(minutes=32)

        run_worker()  # not yet due: only the two mails go
        assert len(staff_mails()) == 2
        clock.shift(datetime.timedelta(minutes=30))
        run_worker()
        run_worker()  # the digest's own mail
        assert len(staff_mails()) == 3
        assert staff_mails()[-1].subject == "Demandes de badge : 4 nouvelles demandes"
        assert not BadgeRequest.objects.filter(staff_notified_at=None).exists()
        # The scheduled command behind it finds nothing left.
        call_command("send_badge_request_digest", verbosity=0)
        run_worker()
        assert len(staff_mails()) == 3
        assert timezone.now() > due.run_after
