"""Erasure leaves no trace: deleting a registration in the admin goes
through the cancellation rule (the waiting list is served and told) and
leaves no name in the audit log; `purge_registrations` and
`erase_badge_recipient` scrub the log entries of what they erase;
`erase_volunteer` scrubs its charter signatures' log entries and keeps a
photo still used elsewhere."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from events.models import EventIndexPage, Registration
from events.registrations.rules import confirm, register
from resources.models import BadgeRequest
from tests.factories.badges import award, create_badge_class, wagtail_image
from tests.factories.events import create_event
from tests.factories.volunteers import CharterVersionFactory, VolunteerFactory
from volunteers.erasure import erase_volunteer
from volunteers.models import CharterSignature

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]

NAME = "Zoé Secrète"


def names_in_log(*needles):
    query = Q()
    for needle in needles:
        query |= Q(label__icontains=needle) | Q(data__icontains=needle)
    return ModelLogEntry.objects.filter(query).count()


@pytest.fixture
def event(home_page):
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    page = create_event(
        EventIndexPage.objects.get(),
        start=start,
        capacity=1,
        max_seats_per_registration=1,
    )
    page.refresh_from_db()
    return page


def test_admin_delete_cancels_serves_the_waiting_list_and_scrubs_the_log(
    admin_client, event
):
    occurrence = event.occurrences(start=timezone.now())[0]
    first = register(event, occurrence, name=NAME, email="zoe@exemple.fr").registration
    waiting = register(
        event, occurrence, name="Karim B", email="karim@exemple.fr"
    ).registration
    for registration in (first, waiting):  # both addresses confirmed
        confirm(registration)
        registration.refresh_from_db()
    assert waiting.status == "waiting"
    log(instance=first, action="wagtail.edit", title=str(first))
    mail.outbox.clear()

    url = f"/admin/inscriptions/personnes/delete/{first.pk}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not Registration.objects.filter(pk=first.pk).exists()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert [m.to for m in mail.outbox] == [["karim@exemple.fr"]]
    assert names_in_log(NAME, "zoe@exemple.fr") == 0
    assert ModelLogEntry.objects.filter(
        action="wagtail.delete", label__startswith="Inscription effacée"
    ).exists()


def test_purge_scrubs_the_registrations_log_entries(event, settings):
    occurrence = event.occurrences(start=timezone.now())[0]
    registration = register(
        event, occurrence, name=NAME, email="zoe@exemple.fr"
    ).registration
    log(instance=registration, action="wagtail.edit", title=str(registration))
    assert names_in_log(NAME) == 1
    later = occurrence.start + datetime.timedelta(
        days=settings.REGISTRATION_RETENTION_DAYS + 1
    )
    with time_machine.travel(later):
        call_command("purge_registrations", verbosity=0)
    assert not Registration.objects.exists()
    assert names_in_log(NAME, "zoe@exemple.fr") == 0


def test_erase_badge_recipient_scrubs_requests_and_assertions_logs(home_page):
    badge = create_badge_class(slug="premiers-pas", name="Premiers pas")
    assertion = award(badge, email="zoe@exemple.fr", name=NAME)
    badge_request = BadgeRequest.objects.create(
        badge_class=badge, name=NAME, email="zoe@exemple.fr", evidence_text="x"
    )
    log(instance=assertion, action="wagtail.create", title=f"{NAME} – Premiers pas")
    log(instance=badge_request, action="wagtail.create", title=str(badge_request))
    call_command("erase_badge_recipient", "zoe@exemple.fr", verbosity=0)
    assert names_in_log(NAME, "zoe@exemple.fr") == 0


def test_erase_volunteer_scrubs_signature_logs_and_keeps_a_shared_photo(home_page):
    photo = wagtail_image(title="Portrait")
    volunteer = VolunteerFactory(display_name=NAME, photo=photo)
    signature = CharterSignature.objects.create(
        volunteer=volunteer,
        version=CharterVersionFactory(),
        signed_on=datetime.date(2026, 2, 1),
    )
    log(instance=signature, action="wagtail.create", title=f"Charte signée par {NAME}")
    # The same photo illustrates a badge: it must survive the erasure.
    create_badge_class(slug="portrait", name="Portrait", image=photo)
    call_command("rebuild_references_index", verbosity=0)
    erase_volunteer(volunteer)
    assert names_in_log(NAME) == 0
    photo.refresh_from_db()  # still there
    assert CharterSignature.objects.get().volunteer is None


def test_erase_volunteer_deletes_a_photo_nobody_else_uses(home_page):
    from wagtail.images import get_image_model

    photo = wagtail_image(title="Portrait seul")
    volunteer = VolunteerFactory(display_name=NAME, photo=photo)
    call_command("rebuild_references_index", verbosity=0)
    report = erase_volunteer(volunteer)
    assert report.photo_deleted
    assert not get_image_model().objects.filter(pk=photo.pk).exists()
