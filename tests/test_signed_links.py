"""Links already sent in mails keep working: the tokens of every signed
link (`portal.signed_links`) are built here the way the code built them
before the one generator existed – `TimestampSigner(salt=…).sign(public id)`
for registrations and appointments, `signing.dumps(pk, compress=True)` for
unsubscribing – with the salts written out, and open the real pages. The
generator makes the very same tokens, and refuses old ones the same way."""

import datetime

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from events.appointments import rules as appointments
from events.models import AgendaSubscription, Appointment, Registration
from events.registrations import links as registration_links
from events.registrations import rules as registrations
from events.subscriptions import rules as subscriptions
from tests.factories.appointments import appointment_event, key
from tests.factories.events import paris
from tests.pages import text
from tests.registration_helpers import make_event

pytestmark = pytest.mark.django_db

# The salts of the links already mailed: never to be changed.
CANCEL = "events.registration.cancel"
CONFIRM = "events.registration.confirm"
MANAGE = "events.registration.manage"
APPOINTMENT = "events.appointments.manage"
UNSUBSCRIBE = "events.subscriptions.unsubscribe"
BOOKING_DAY = paris(2026, 11, 20, 10, 0)


def old_token(salt, public_id):
    return signing.TimestampSigner(salt=salt).sign(public_id.hex)


@pytest.fixture
def registration(home_page, mailoutbox):
    event = make_event(home_page)
    occurrence = event.occurrences(start=timezone.now())[0]
    outcome = registrations.register(
        event, occurrence, name="Camille", email="camille@exemple.fr"
    )
    return outcome.registration


@pytest.fixture
def appointment(home_page, mailoutbox):
    with time_machine.travel(BOOKING_DAY, tick=False):
        event = appointment_event(home_page)
        appointments.book(
            event,
            key(paris(2026, 12, 1, 14, 0)),
            name="Camille",
            email="camille@exemple.fr",
            device="ordinateur",
            need="messagerie",
            now=BOOKING_DAY,
        )
    return Appointment.objects.get()


@pytest.fixture
def subscription(agenda):
    return AgendaSubscription.objects.create(
        email="lea@exemple.fr", confirmed_at=timezone.now()
    )


def test_an_old_confirm_link_confirms(client, registration):
    url = reverse(
        "events:registration_confirm",
        kwargs={"token": old_token(CONFIRM, registration.public_id)},
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "Confirmer mon inscription" in text(page)
    assert client.post(url).status_code == 200
    registration.refresh_from_db()
    assert registration.is_confirmed


def test_an_old_manage_link_changes_the_seats(client, registration):
    registrations.confirm(registration)
    url = reverse(
        "events:registration_manage",
        kwargs={"token": old_token(MANAGE, registration.public_id)},
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "Gérer mon inscription" in text(page)
    client.post(url, {"action": "seats", "seats": "2"})
    registration.refresh_from_db()
    assert registration.seats == 2


def test_an_old_cancel_link_cancels(client, registration):
    registrations.confirm(registration)
    url = reverse(
        "events:registration_cancel",
        kwargs={"token": old_token(CANCEL, registration.public_id)},
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "Oui, annuler mon inscription" in text(page)
    response = client.post(url)
    assert response.status_code == 200
    assert "Inscription annulée" in text(response)
    registration.refresh_from_db()
    assert registration.is_cancelled


def test_an_old_appointment_link_cancels(client, appointment):
    url = reverse(
        "events:appointment_manage",
        kwargs={"token": old_token(APPOINTMENT, appointment.public_id)},
    )
    with time_machine.travel(BOOKING_DAY, tick=False):
        page = client.get(url)
        assert page.status_code == 200
        assert "Gérer mon rendez-vous" in text(page)
        client.post(url, {"action": "cancel"})
    appointment.refresh_from_db()
    assert appointment.is_cancelled


def test_an_old_unsubscribe_link_unsubscribes(client, subscription):
    token = signing.dumps(subscription.pk, salt=UNSUBSCRIBE, compress=True)
    url = reverse("events:subscription_unsubscribe", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 200
    assert "Me désabonner" in text(page)
    response = client.post(url)
    assert response.status_code == 200
    assert "Vous êtes désabonné" in text(response)
    assert not AgendaSubscription.objects.exists()
    # The link keeps answering politely once the subscription is gone.
    assert "Déjà désabonné" in text(client.get(url))


def test_the_generator_makes_the_old_tokens_byte_for_byte(
    registration, appointment, subscription
):
    with time_machine.travel(BOOKING_DAY, tick=False):
        public_id = registration.public_id
        assert registration_links.cancel_token(registration) == old_token(
            CANCEL, public_id
        )
        assert registration_links.confirm_token(registration) == old_token(
            CONFIRM, public_id
        )
        assert registration_links.manage_token(registration) == old_token(
            MANAGE, public_id
        )
        assert appointments.manage_token(appointment) == old_token(
            APPOINTMENT, appointment.public_id
        )
        assert subscriptions.unsubscribe_token(subscription) == signing.dumps(
            subscription.pk, salt=UNSUBSCRIBE, compress=True
        )


def test_a_token_of_one_kind_opens_no_page_of_another(client, registration):
    """Same public id, other salt: refused as not valid (400)."""
    for salt, name in [
        (APPOINTMENT, "events:registration_manage"),
        (CANCEL, "events:registration_confirm"),
        (MANAGE, "events:registration_cancel"),
    ]:
        token = old_token(salt, registration.public_id)
        response = client.get(reverse(name, kwargs={"token": token}))
        assert response.status_code == 400, (salt, name)
        assert "n'est pas valide" in text(response)
    token = old_token(CANCEL, registration.public_id)
    response = client.get(
        reverse("events:subscription_unsubscribe", kwargs={"token": token})
    )
    assert response.status_code == 404


def test_an_old_link_past_its_age_is_refused_with_the_same_words(client, registration):
    registrations.confirm(registration)
    signed_at = timezone.now() - datetime.timedelta(days=401)
    with time_machine.travel(signed_at, tick=False):
        token = old_token(CANCEL, registration.public_id)
    response = client.get(
        reverse("events:registration_cancel", kwargs={"token": token})
    )
    assert response.status_code == 410
    assert "Ce lien d'annulation a expiré" in text(response)


def test_a_link_to_an_erased_registration_says_so(client, registration):
    registrations.confirm(registration)
    token = old_token(MANAGE, registration.public_id)
    Registration.objects.filter(pk=registration.pk).delete()
    response = client.get(
        reverse("events:registration_manage", kwargs={"token": token})
    )
    assert response.status_code == 410
    assert "Cette inscription n'existe plus" in text(response)
    # The confirmation link of an erased hold: the hold ran out.
    token = old_token(CONFIRM, registration.public_id)
    response = client.get(
        reverse("events:registration_confirm", kwargs={"token": token})
    )
    assert response.status_code == 410
    assert "n'a pas été confirmée dans les 30 minutes" in text(response)
