"""Every e-mail goes through the task queue: stored with what decided it,
delivered by the worker with retries for 24 hours, then shown to staff
« en échec » with a « Renvoyer » button; never lost, never sent twice."""

import datetime
import os
import smtplib
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from events.models import EventIndexPage, Registration
from portal import roles
from portal.models import OutgoingMail
from tests.factories.events import create_event
from tests.registration_helpers import confirm_link
from tests.task_worker import run_worker

ORIGIN = "http://testserver"  # what a browser sends with the form

# The staff listing of failed mails is searched (`?q=`).
pytestmark = pytest.mark.indexed

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FAILING = "tests.test_mail_queue.FailingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class FailingBackend(BaseEmailBackend):
    """The mail server is down: every delivery is refused."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connexion refusée (serveur arrêté)")


class DyingBackend(BaseEmailBackend):
    """The worker process is killed while it talks to the mail server."""

    def send_messages(self, email_messages):
        raise SystemExit("killed")


@pytest.fixture
def event(home_page):
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    page = create_event(
        EventIndexPage.objects.get(),
        start=start,
        capacity=5,
        recurrence="weekly",
        recurrence_count=4,
        max_seats_per_registration=4,
    )
    page.refresh_from_db()
    return page


def register(client, event, email="camille@exemple.fr"):
    occurrence = event.occurrences(start=timezone.now())[0]
    url = event.url + "inscription/?date=" + quote(occurrence.key, safe="")
    return client.post(
        url,
        {
            "occurrence": occurrence.key,
            "name": "Camille Martin",
            "email": email,
            "phone": "",
            "seats": "1",
            "consent": "on",
            "website": "",
        },
    )


@pytest.fixture
def queue(settings):
    """The real database task backend; the mail server down until told."""
    settings.TASKS = DB_TASKS
    settings.PORTAL_DELIVERY_EMAIL_BACKEND = FAILING
    return settings


def mail_tasks():
    return DBTaskResult.objects.filter(task_path="portal.mail.deliver_mail")


# -- Content: the immediate backend delivers at once ---------------------------


@pytest.mark.django_db
def test_a_registration_mail_is_queued_and_delivered_whole(client, event):
    response = register(client, event)
    assert response.status_code == 200
    # The address confirms through the first mail's link; the second mail
    # carries the cancel and manage links and the calendar.
    confirmed = client.post(confirm_link(mail.outbox[0]), HTTP_ORIGIN=ORIGIN)
    assert confirmed.status_code == 200
    row = OutgoingMail.objects.order_by("pk").last()
    assert row.status == OutgoingMail.Status.SENT
    assert row.to == ["camille@exemple.fr"]
    assert len(mail.outbox) == 2
    message = mail.outbox[1]
    assert message.to == ["camille@exemple.fr"]
    assert message.subject == row.subject and "Petit déj" in message.subject
    assert "/agenda/inscription/annuler/" in message.body
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html" and "<" in html
    ics = [a for a in message.attachments if a[0] == "atelier.ics"]
    assert ics and "BEGIN:VCALENDAR" in str(ics[0][1])
    # The MIME message itself builds: headers, parts and the attachment.
    raw = message.message().as_string()
    assert "text/calendar" in raw and 'filename="atelier.ics"' in raw


@pytest.mark.django_db
def test_reply_to_and_headers_survive_the_queue():
    from django.core.mail import EmailMessage

    EmailMessage(
        "Objet é",
        "Texte",
        to=["a@exemple.fr"],
        cc=["b@exemple.fr"],
        bcc=["c@exemple.fr"],
        reply_to=["visiteur@exemple.fr"],
        headers={"X-Atelier": "1"},
    ).send()
    (message,) = mail.outbox
    assert message.reply_to == ["visiteur@exemple.fr"]
    assert message.cc == ["b@exemple.fr"] and message.bcc == ["c@exemple.fr"]
    assert message.extra_headers["X-Atelier"] == "1"
    assert message.subject == "Objet é"


# -- The database backend: transactions, retries, failures ---------------------


@pytest.mark.django_db
def test_a_rolled_back_registration_queues_nothing(queue, event):
    from events.registrations import rules

    occurrence = event.occurrences(start=timezone.now())[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        rules.register(event, occurrence, name="Camille", email="c@exemple.fr")
        assert OutgoingMail.objects.count() == 1
        assert mail_tasks().count() == 1
        raise RuntimeError("rolled back")
    assert OutgoingMail.objects.count() == 0
    assert mail_tasks().count() == 0
    assert Registration.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_mail_server_down_then_back_the_confirmation_arrives_once(client, queue, event):
    response = register(client, event)
    assert response.status_code == 200
    assert "Confirmez votre inscription" in response.content.decode()
    assert mail.outbox == []  # the request only queued it
    row = OutgoingMail.objects.get()
    assert row.status == OutgoingMail.Status.PENDING

    run_worker()
    row.refresh_from_db()
    assert row.status == OutgoingMail.Status.PENDING
    assert row.attempts == 1
    assert "SMTPServerDisconnected" in row.last_error
    assert row.next_attempt_at - row.last_attempt_at <= datetime.timedelta(minutes=1)
    assert mail.outbox == []

    queue.PORTAL_DELIVERY_EMAIL_BACKEND = LOCMEM  # the server comes back
    run_worker()  # the retry is not due yet
    assert mail.outbox == []
    with time_machine.travel(row.next_attempt_at + datetime.timedelta(seconds=1)):
        run_worker()
        run_worker()
        call_command("deliver_queued_mail", verbosity=0)
    row.refresh_from_db()
    assert row.status == OutgoingMail.Status.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille@exemple.fr"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_login_log")
def test_retries_last_a_day_then_staff_see_it_failed_and_resend_it(
    client, queue, event, role_user
):
    register(client, event)
    row = OutgoingMail.objects.get()
    queued_at = row.created_at
    attempts_at = []
    for _ in range(200):  # bounded: about 30 attempts are expected
        row.refresh_from_db()
        if row.status != OutgoingMail.Status.PENDING:
            break
        with time_machine.travel(row.next_attempt_at + datetime.timedelta(seconds=1)):
            run_worker()
        row.refresh_from_db()
        attempts_at.append(row.last_attempt_at)
    assert row.status == OutgoingMail.Status.FAILED
    assert attempts_at[1] - attempts_at[0] <= datetime.timedelta(minutes=1)
    assert attempts_at[-1] - queued_at >= datetime.timedelta(hours=24)
    assert row.attempts == len(attempts_at)
    assert mail.outbox == []

    staff = role_user(roles.MEDIATHEQUE_EDITORS)
    client.force_login(staff)
    listing = client.get("/admin/envois-en-echec/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Envois en échec" in html
    assert "camille@exemple.fr" in html
    assert "SMTPServerDisconnected" in html
    dashboard = client.get("/admin/")
    assert "1 envoi en échec" in dashboard.content.decode()

    queue.PORTAL_DELIVERY_EMAIL_BACKEND = LOCMEM
    confirm = client.get(f"/admin/envois-en-echec/{row.pk}/renvoyer/")
    assert "Oui, renvoyer" in confirm.content.decode()
    response = client.post(f"/admin/envois-en-echec/{row.pk}/renvoyer/")
    assert response.status_code == 302
    run_worker()
    row.refresh_from_db()
    assert row.status == OutgoingMail.Status.SENT
    assert len(mail.outbox) == 1
    assert "1 envoi en échec" not in client.get("/admin/").content.decode()


@pytest.fixture
def no_login_log(settings):
    # django-axes logs each login with the client address, which a forced
    # login has none of (PostgreSQL's inet column refuses "unknown").
    settings.AXES_ENABLED = False


@pytest.mark.django_db
@pytest.mark.usefixtures("no_login_log")
def test_failed_mails_are_staff_only(client, role_user, django_user_model):
    row = OutgoingMail.objects.create(
        subject="Votre inscription",
        to=["camille@exemple.fr"],
        status=OutgoingMail.Status.FAILED,
        last_error="SMTPServerDisconnected",
    )
    assert client.get("/admin/envois-en-echec/").status_code == 302  # login
    clx = role_user(roles.CLX_EDITORS)
    client.force_login(clx)
    assert client.get("/admin/envois-en-echec/").status_code in (302, 403)
    response = client.post(f"/admin/envois-en-echec/{row.pk}/renvoyer/")
    assert response.status_code in (302, 403)
    row.refresh_from_db()
    assert row.status == OutgoingMail.Status.FAILED
    assert "envoi en échec" not in client.get("/admin/").content.decode()
    staff = role_user(roles.MODERATION)
    assert staff.has_perm("portal.resend_outgoingmail")
    client.force_login(staff)
    found = client.get("/admin/envois-en-echec/?q=camille")
    assert found.status_code == 200 and "Votre inscription" in found.content.decode()
    inspect = client.get(f"/admin/envois-en-echec/inspect/{row.pk}/")
    assert inspect.status_code == 200 and "SMTPServerDisconnected" in (
        inspect.content.decode()
    )
    assert client.get("/admin/envois-en-echec/new/").status_code == 404
    assert client.get(f"/admin/envois-en-echec/edit/{row.pk}/").status_code == 404
    assert not clx.has_perm("portal.resend_outgoingmail")
    assert Group.objects.get(name=roles.ADMINISTRATION).permissions.filter(
        codename="resend_outgoingmail"
    )


@pytest.mark.django_db(transaction=True)
def test_a_mail_for_an_erased_registration_is_dropped_quietly(client, queue, event):
    queue.PORTAL_DELIVERY_EMAIL_BACKEND = LOCMEM
    register(client, event)
    Registration.objects.all().delete()
    run_worker()
    row = OutgoingMail.objects.get()
    assert row.status == OutgoingMail.Status.DROPPED
    assert mail.outbox == []
    failed = mail_tasks().failed()
    assert not failed.exists(), [(t.task_path, t.traceback[-300:]) for t in failed]


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_loses_nothing(client, queue, event):
    queue.PORTAL_DELIVERY_EMAIL_BACKEND = "tests.test_mail_queue.DyingBackend"
    register(client, event)
    run_worker()  # dies in the middle of the delivery
    row = OutgoingMail.objects.get()
    assert row.status == OutgoingMail.Status.SENDING
    assert mail.outbox == []

    queue.PORTAL_DELIVERY_EMAIL_BACKEND = LOCMEM
    call_command("deliver_queued_mail", verbosity=0)  # its claim still holds
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=15)):
        call_command("deliver_queued_mail", verbosity=0)
        run_worker()
    row.refresh_from_db()
    assert row.status == OutgoingMail.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_killed_mid_delivery_loses_nothing(client, queue, event):
    """A `db_worker` process stuck on a mail server that never answers is
    killed (SIGKILL); the message is delivered afterwards, once."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database another process can open (PostgreSQL)")
    server = socket.create_server(("127.0.0.1", 0))
    held = []
    threading.Thread(
        target=lambda: held.append(server.accept()), daemon=True
    ).start()  # accepts, then says nothing: the worker waits
    register(client, event)
    row = OutgoingMail.objects.get()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "PORTAL_DELIVERY_EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(server.getsockname()[1]),
        "EMAIL_TIMEOUT": "300",
    }
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):  # up to 60 s
            row.refresh_from_db()
            if row.status == OutgoingMail.Status.SENDING and held:
                break
            time.sleep(0.1)
        assert row.status == OutgoingMail.Status.SENDING
    finally:
        worker.kill()
        worker.wait(timeout=30)
        server.close()
    row.refresh_from_db()
    assert row.status == OutgoingMail.Status.SENDING  # claimed by the dead worker
    assert mail.outbox == []

    queue.PORTAL_DELIVERY_EMAIL_BACKEND = LOCMEM
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=15)):
        call_command("deliver_queued_mail", verbosity=0)
        call_command("deliver_queued_mail", verbosity=0)
    row.refresh_from_db()
    assert row.status == OutgoingMail.Status.SENT
    assert len(mail.outbox) == 1
