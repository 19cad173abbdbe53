"""The two scheduled commands of registrations: the reminder the day before
(hourly, never twice, across a daylight-saving change) and the purge of
personal data after the retention period."""

import datetime
import io
from html import unescape

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from events.models import EventCancellation, Registration, RegistrationList
from tests.factories.events import paris
from tests.registration_helpers import (
    cancel_link,
    make_event,
    post_registration,
    sent_to,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def run(command, **options):
    out = io.StringIO()
    call_command(command, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def test_reminder_goes_once_on_the_day_before_across_the_dst_change(client, home_page):
    # Summer time starts on Sunday 28 March 2027 at 02:00 in Paris.
    with time_machine.travel(paris(2027, 3, 20, 12, 0), tick=False):
        event = make_event(
            home_page,
            capacity=1,
            start=paris(2027, 3, 21, 9, 30),
            recurrence="weekly",
            recurrence_count=3,
        )
        sunday = event.get_occurrence(paris(2027, 3, 28, 9, 30))
        assert sunday.start.utcoffset() == datetime.timedelta(hours=2)
        post_registration(client, event, sunday, email="confirmee@exemple.fr")
        post_registration(client, event, sunday, email="attente@exemple.fr")
        april = event.get_occurrence(paris(2027, 4, 4, 9, 30))
        post_registration(client, event, april, email="avril@exemple.fr")
    # The 4 April date is cancelled afterwards: nobody is reminded of it.
    EventCancellation.objects.create(
        page=event, date=datetime.date(2027, 4, 4), reason="Fermeture."
    )
    mail.outbox.clear()

    sent_on = []
    moment = paris(2027, 3, 26, 0, 0).astimezone(UTC)
    while moment < paris(2027, 4, 4, 12, 0).astimezone(UTC):
        with time_machine.travel(moment, tick=False):
            before = len(mail.outbox)
            run("send_registration_reminders")
            if len(mail.outbox) > before:
                sent_on.append(timezone.localtime(moment).date())
        moment += datetime.timedelta(hours=1)

    assert [m.to for m in mail.outbox] == [["confirmee@exemple.fr"]]
    assert sent_on == [datetime.date(2027, 3, 27)]
    reminder = mail.outbox[0]
    assert reminder.subject.startswith("Rappel : Petit déj' du libre demain")
    assert "nous vous attendons demain à 9 h 30" in reminder.body
    assert "dimanche 28 mars 2027" in reminder.body
    assert "/agenda/inscription/annuler/" in reminder.body
    assert Registration.objects.get(email="confirmee@exemple.fr").reminded_at


def test_reminder_command_is_safe_to_run_twice_in_the_same_hour(client, home_page):
    with time_machine.travel(paris(2027, 1, 10, 12, 0), tick=False):
        event = make_event(home_page, start=paris(2027, 1, 16, 9, 30))
        post_registration(client, event, event.occurrences()[0])
    mail.outbox.clear()
    with time_machine.travel(paris(2027, 1, 15, 18, 0), tick=False):
        assert "Rappels envoyé(s) : 1" in run("send_registration_reminders")
        assert "Rappels envoyé(s) : 0" in run("send_registration_reminders")
        assert "à envoyer : 0" in run("send_registration_reminders", dry_run=True)
    assert len(mail.outbox) == 1


def test_purge_erases_personal_data_after_the_retention_period(
    client, home_page, settings
):
    settings.REGISTRATION_RETENTION_DAYS = 30
    with time_machine.travel(paris(2027, 1, 10, 12, 0), tick=False):
        event = make_event(
            home_page, start=paris(2027, 1, 16, 9, 30), recurrence_count=5
        )
        first, _second, third = event.occurrences()[:3]
        post_registration(client, event, first, email="a@exemple.fr", seats="2")
        post_registration(client, event, first, email="b@exemple.fr", seats="1")
        post_registration(client, event, third, email="c@exemple.fr")
    Registration.objects.filter(email="a@exemple.fr").update(attended=True)
    link = cancel_link(sent_to("a@exemple.fr", "/inscription/annuler/")[0])

    # 29 days after the first date: nothing is old enough yet.
    with time_machine.travel(paris(2027, 2, 14, 10, 0), tick=False):
        assert "Inscriptions effacées : 0" in run("purge_registrations")
    with time_machine.travel(paris(2027, 2, 16, 10, 0), tick=False):
        assert "à effacer : 2" in run("purge_registrations", dry_run=True)
        assert Registration.objects.count() == 3
        out = run("purge_registrations")
        assert "Inscriptions effacées : 2, sur 1 séance(s)" in out
        assert list(Registration.objects.values_list("email", flat=True)) == [
            "c@exemple.fr"
        ]
        kept = RegistrationList.objects.get(occurrence_start=first.start)
        assert kept.purged_at is not None
        assert (kept.purged_confirmed_seats, kept.purged_attended) == (3, 1)
        # Running it again changes nothing.
        assert "Inscriptions effacées : 0" in run("purge_registrations")
        kept.refresh_from_db()
        assert (kept.purged_confirmed_seats, kept.purged_attended) == (3, 1)
        # The cancel link of an erased registration says so.
        response = client.get(link)
        assert response.status_code == 410
        assert "n'existe plus" in unescape(response.content.decode())


def test_purge_refuses_a_negative_retention(home_page):
    with pytest.raises(CommandError, match="nombre de jours positif"):
        run("purge_registrations", days=-1)
