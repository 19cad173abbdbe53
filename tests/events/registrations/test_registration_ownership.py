"""Only its owner changes a registration: registering again with an address
already registered answers exactly as a new registration does, changes
nothing and e-mails the owner a « gérer mon inscription » link (change the
seats within what is free, cancel); no answer reveals another booking."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from events.models import EventIndexPage, Registration
from tests.factories.events import create_event
from tests.pages import text
from tests.registration_helpers import (
    confirm_through_mail,
    form_url,
    make_event,
    sent_to,
    visitor_address,
)

pytestmark = pytest.mark.django_db

OWNER = "camille@exemple.fr"


@pytest.fixture
def event(home_page):
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    page = create_event(
        EventIndexPage.objects.get(),
        start=start,
        capacity=5,
        max_seats_per_registration=4,
    )
    page.refresh_from_db()
    return page


def occurrence_of(event):
    return event.occurrences(start=timezone.now())[0]


def register(client, event, email=OWNER, name="Camille Martin", seats="1"):
    """The form's answer; the address then confirms through the mail's link
    when one was sent to it (its owner does, a stranger cannot)."""
    sent = len(mail.outbox)
    response = client.post(
        event.url + "inscription/",
        {
            "occurrence": occurrence_of(event).key,
            "name": name,
            "email": email,
            "phone": "",
            "seats": seats,
            "consent": "on",
            "website": "",
        },
        REMOTE_ADDR=visitor_address(email),
    )
    asked = [
        message
        for message in mail.outbox[sent:]
        if message.to == [email.strip().lower()]
        and "/inscription/confirmer/" in message.body
    ]
    if asked:
        confirm_through_mail(client, asked[-1])
    return response


def manage_link(message):
    match = re.search(
        r"https?://[^/\s]+(/agenda/inscription/gerer/[^\s]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def main_part(response):
    html = text(response)
    return html[html.index("<main") : html.index("</main>")]


def test_a_stranger_with_the_owners_address_changes_nothing(client, event):
    register(client, event, seats="3")
    owner_mail = mail.outbox[-1]
    mail.outbox.clear()

    # Both answers name the time the seats are held until: the same minute.
    with time_machine.travel(timezone.now(), tick=False):
        stranger = register(
            client, event, email=" CAMILLE@exemple.FR", name="Intrus", seats="1"
        )
        newcomer = register(client, event, email="nouveau@exemple.fr", name="Intrus")

    # Exactly what a new registration gets: same status, same page.
    assert stranger.status_code == newcomer.status_code == 200
    assert main_part(stranger).replace(OWNER, "@") == main_part(newcomer).replace(
        "nouveau@exemple.fr", "@"
    )
    registration = Registration.objects.get(email=OWNER)
    assert (registration.name, registration.seats, registration.status) == (
        "Camille Martin",
        3,
        "confirmed",
    )
    assert Registration.objects.count() == 2
    # The owner is told, with a private link; the page shows nothing of it.
    to_owner = [m for m in mail.outbox if m.to == [OWNER]]
    assert len(to_owner) == 1
    assert to_owner[0].subject.startswith("Gérer mon inscription")
    assert "votre inscription n'a pas été modifiée" in to_owner[0].body
    assert "Camille Martin" in to_owner[0].body
    assert "Intrus" not in to_owner[0].body
    assert "Camille Martin" not in text(stranger)
    for message in (owner_mail, to_owner[0]):
        page = client.get(manage_link(message))
        assert page.status_code == 200
        assert "Camille Martin" in text(page)


def test_the_not_enough_seats_answer_reveals_no_booking(client, event):
    register(client, event, seats="4")
    response = register(client, event, seats="4")  # would not fit: waiting list
    newcomer = register(client, event, email="autre@exemple.fr", seats="4")
    assert response.status_code == newcomer.status_code == 200
    for page in (response, newcomer):
        assert "L'atelier est complet." in text(page)
        assert "4 place" not in text(page).split("<dl")[0]
    assert Registration.objects.get(email=OWNER).seats == 4


def test_the_waiting_list_rank_is_never_told(client, event):
    # A repeated address stores nothing, so a rank would not move for the
    # next newcomer: it would tell that the address is registered. No page
    # and no mail gives one (test_event_registration_holds.py).
    register(client, event, seats="4")
    register(client, event, email="b@exemple.fr", seats="4")  # waiting, 1st
    mail.outbox.clear()
    repeated = register(client, event, email="B@exemple.fr", name="Intrus", seats="4")
    newcomer = register(client, event, email="autre@exemple.fr", seats="4")
    for page in (repeated, newcomer):
        assert "L'atelier est complet." in text(page)
        assert not re.search(r"position|rang \d|\d+(e|er) ", main_part(page))
    to_newcomer = sent_to("autre@exemple.fr")
    assert len(to_newcomer) == 2  # « confirmez », then « liste d'attente »
    for message in to_newcomer:
        assert not re.search(r"position|rang", message.body)
    assert "Nous vous écrirons si une place se libère." in to_newcomer[-1].body


def test_the_owner_changes_seats_within_what_is_free(client, event):
    register(client, event, seats="2")
    link = manage_link(mail.outbox[-1])
    register(client, event, email="b@exemple.fr", seats="2")

    page = client.get(link)
    assert page.status_code == 200
    assert "Gérer mon inscription" in text(page)
    assert "Camille Martin" in text(page)

    too_many = client.post(link, {"action": "seats", "seats": "4"})
    assert too_many.status_code == 409
    assert "vous pouvez en réserver au plus 3" in text(too_many)
    assert Registration.objects.get(email=OWNER).seats == 2

    done = client.post(link, {"action": "seats", "seats": "3"})
    assert done.status_code == 200
    assert "compte maintenant 3 place(s)" in text(done)
    assert Registration.objects.get(email=OWNER).seats == 3


def test_fewer_seats_serve_the_waiting_list(client, event):
    register(client, event, seats="4")
    link = manage_link(mail.outbox[-1])
    register(client, event, email="b@exemple.fr", seats="2")
    assert Registration.objects.get(email="b@exemple.fr").status == "waiting"
    mail.outbox.clear()
    assert client.post(link, {"action": "seats", "seats": "2"}).status_code == 200
    assert Registration.objects.get(email="b@exemple.fr").status == "confirmed"
    assert [m.to for m in mail.outbox] == [["b@exemple.fr"]]


def test_the_owner_cancels_and_the_link_then_is_gone(client, event):
    register(client, event)
    link = manage_link(mail.outbox[-1])
    response = client.post(link, {"action": "cancel"})
    assert response.status_code == 200
    assert "Votre inscription est annulée" in text(response)
    assert Registration.objects.get().status == "cancelled"
    assert client.get(link).status_code == 410
    assert client.post(link, {"action": "seats", "seats": "2"}).status_code == 410


@pytest.mark.parametrize(
    "data",
    [
        {"action": "seats", "seats": "0"},
        {"action": "seats", "seats": "99"},
        {"action": "seats", "seats": "-1"},
        {"action": "seats", "seats": "2\x00"},
        {"action": "seats", "seats": "99999999999999999999999"},
        {"action": "seats"},
    ],
)
def test_bad_seat_values_are_refused_in_french(client, event, data):
    register(client, event, seats="2")
    link = manage_link(mail.outbox[-1])
    response = client.post(link, data)
    assert response.status_code == 400
    page = text(response)
    assert "nombre de places" in page or "caractères invisibles" in page
    assert Registration.objects.get().seats == 2


@pytest.mark.parametrize("token", ["x", "abc:def", "0" * 300, "%00", "Zm9v:1:abc"])
def test_forged_manage_links_are_refused(client, event, token):
    response = client.get(f"/agenda/inscription/gerer/{token}/")
    assert response.status_code in (400, 404)


def test_a_cancel_token_is_not_a_manage_token(client, event):
    register(client, event)
    cancel = re.search(r"/agenda/inscription/annuler/([^\s/]+)/", mail.outbox[-1].body)
    response = client.get(f"/agenda/inscription/gerer/{cancel.group(1)}/")
    assert response.status_code == 400


def test_after_the_start_the_link_changes_nothing(client, event):
    register(client, event)
    link = manage_link(mail.outbox[-1])
    with time_machine.travel(occurrence_of(event).start + datetime.timedelta(hours=1)):
        response = client.post(link, {"action": "seats", "seats": "2"})
    assert response.status_code == 410
    assert Registration.objects.get().seats == 1


def seat_bands(html):
    """What the public pages say about seats, in page order."""
    found = re.findall(
        r'class="(?:registration__left|registration-block__left)[^"]*">(.*?)</(?:p|span)>',
        html,
    )
    return [band.strip() for band in found]


def test_the_public_seats_do_not_tell_a_repeated_address_from_a_new_one(
    client, home_page
):
    event = make_event(home_page)  # weekly, 5 seats
    # The owner holds a seat at the first two dates; a stranger then sends
    # the owner's address to the first and a new address to the second.
    one, two = event.occurrences(start=timezone.now())[:2]
    for occurrence in (one, two):
        register_at(client, event, occurrence, OWNER)
    register_at(client, event, one, " Camille@Exemple.fr ", name="Intrus")
    register_at(client, event, two, "nouveau@exemple.fr", name="Intrus")
    assert Registration.objects.count() == 3  # 4 seats free at one, 3 at two

    client.cookies.clear()
    event_page = seat_bands(text(client.get(event.url)))
    assert event_page[0] == event_page[1] == "places disponibles"
    forms = [
        seat_bands(text(client.get(form_url(event, occurrence))))
        for occurrence in (one, two)
    ]
    assert forms[0] == forms[1] == ["Places disponibles."]
    assert not re.search(r"\d+ places? (restante|libre)", text(client.get(event.url)))


def register_at(client, event, occurrence, email, name="Camille Martin", seats="1"):
    response = client.post(
        event.url + "inscription/",
        {
            "occurrence": occurrence.key,
            "name": name,
            "email": email,
            "phone": "",
            "seats": seats,
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 200
    return response
