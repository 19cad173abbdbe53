"""Rooms lent by the médiathèque: CLX asks for the salle, the médiathèque
confirms or declines with a comment, each side is e-mailed, a confirmed
booking becomes a draft event, overlaps are refused with the conflict named
and dated; the room's month view and its private iCalendar feed.

Time is frozen on 2 November 2026 (Paris), before the slots used here.
"""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from events.models import Booking, BookingDate, EventPage
from portal import roles
from tests.factories.events import paris
from tests.factories.rooms import create_booking, create_room, first_saturday_room
from tests.room_helpers import FMT, post_room_request, room_request_data

pytestmark = pytest.mark.django_db

NOW = paris(2026, 11, 2, 10, 0)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def people(home_page, django_user_model):
    call_command("setup_portal", verbosity=0)
    made = {}
    for key, role, username in [
        ("clx", roles.CLX_COORDINATION, "clx-coordination"),
        ("clx_editor", roles.CLX_EDITORS, "clx-redaction"),
        ("moderation", roles.MODERATION, "moderation"),
        ("redaction", roles.MEDIATHEQUE_EDITORS, "redaction"),
    ]:
        user = django_user_model.objects.create_user(
            username, email=f"{username}@atelier-wimille.test", password="x" * 12
        )
        user.groups.add(Group.objects.get(name=role))
        made[key] = user
    return made


def refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirect home."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


@pytest.fixture
def salle(home_page):
    return first_saturday_room()


def request_data(room, start, end, **extra):
    return room_request_data(
        room,
        start,
        end,
        **{
            "purpose": "Petit déj' du libre de décembre",
            "details": "Café et questions sur Linux.",
            "tidy_minutes": "30",
            **extra,
        },
    )


def ask(client, user, data):
    return post_room_request(client, user, data)


def decide(client, user, booking, decision, comment=""):
    client.force_login(user)
    return client.post(
        reverse("room_bookings:decide", args=(booking.pk,)),
        {"decision": decision, "comment": comment},
        follow=True,
    )


def errors_of(response):
    return response.context["form"].errors


# -- Asking, confirming, declining -----------------------------------------------------


def test_clx_asks_moderation_confirms_and_each_side_is_told(client, people, salle):
    response = ask(
        client,
        people["clx"],
        request_data(salle, paris(2026, 12, 5, 9, 30), paris(2026, 12, 5, 12, 0)),
    )
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("room_bookings:inspect", args=(booking.pk,))
    assert booking.status == Booking.Status.PENDING
    assert booking.requested_by == people["clx"]
    # Stored with its setup and tidy-up time.
    stored = BookingDate.objects.get(booking=booking)
    assert stored.blocked_start == paris(2026, 12, 5, 9, 15)
    assert stored.blocked_end == paris(2026, 12, 5, 12, 30)
    # Both sides hear about the request.
    to = {address for message in mail.outbox for address in message.to}
    assert people["clx"].email in to
    assert people["moderation"].email in to
    assert people["clx_editor"].email not in to
    assert all("Demande de salle" in m.subject for m in mail.outbox)
    mail.outbox.clear()

    response = decide(client, people["moderation"], booking, "confirm", "Bienvenue !")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.decided_by == people["moderation"]
    assert booking.decision_comment == "Bienvenue !"
    assert "Réservation confirmée" in response.content.decode()
    to_clx = [m for m in mail.outbox if people["clx"].email in m.to]
    assert len(to_clx) == 1 and "Bienvenue !" in to_clx[0].body
    assert "confirme votre réservation" in to_clx[0].body
    assert any(people["moderation"].email in m.to for m in mail.outbox)


def test_declining_needs_a_comment_which_clx_receives(client, people, salle):
    booking = create_booking(
        salle,
        paris(2026, 12, 5, 9, 30),
        paris(2026, 12, 5, 12, 0),
        requested_by=people["clx"],
    )
    response = decide(client, people["moderation"], booking, "decline")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING
    assert "pourquoi la demande est refusée" in response.content.decode()
    assert mail.outbox == []

    decide(
        client, people["moderation"], booking, "decline", "Salle repeinte ce jour-là."
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DECLINED
    message = next(m for m in mail.outbox if people["clx"].email in m.to)
    assert "Salle repeinte ce jour-là." in message.body


@pytest.mark.parametrize("role", ["clx", "clx_editor", "redaction"])
def test_only_modération_and_administration_decide(client, people, salle, role):
    booking = create_booking(
        salle, paris(2026, 12, 5, 9, 30), paris(2026, 12, 5, 12, 0)
    )
    client.force_login(people[role])
    response = client.post(
        reverse("room_bookings:decide", args=(booking.pk,)), {"decision": "confirm"}
    )
    assert refused(response)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING


def test_a_series_is_stored_date_by_date_across_the_dst_change(client, people, salle):
    # First Saturday of each month, February to May 2027: the clocks change
    # on 28 March, the wall-clock time stays 9 h 30.
    ask(
        client,
        people["clx"],
        request_data(
            salle,
            paris(2027, 2, 6, 9, 30),
            paris(2027, 2, 6, 12, 0),
            recurrence="monthly_weekday",
            recurrence_count="4",
        ),
    )
    booking = Booking.objects.get()
    starts = [
        row.start.astimezone(paris(2027, 1, 1).tzinfo).strftime("%d/%m %H:%M")
        for row in booking.booked_dates.all()
    ]
    assert starts == ["06/02 09:30", "06/03 09:30", "03/04 09:30", "01/05 09:30"]


# -- Conflicts -------------------------------------------------------------------------


def test_an_overlapping_request_is_refused_naming_the_booking_and_its_date(
    client, people, salle
):
    create_booking(
        salle,
        paris(2026, 12, 5, 9, 30),
        paris(2026, 12, 5, 11, 0),
        purpose="Install party",
        status=Booking.Status.CONFIRMED,
    )
    # Starts at 11 h 15, but its 15 minutes of setup meet the other's tidy-up.
    response = ask(
        client,
        people["clx"],
        request_data(salle, paris(2026, 12, 5, 11, 15), paris(2026, 12, 5, 12, 0)),
    )
    assert response.status_code == 200
    message = " ".join(errors_of(response)["start"])
    assert "Chevauche la réservation « Install party »" in message
    assert "samedi 5 décembre 2026, 9 h 30 – 11 h" in message
    assert Booking.objects.count() == 1
    assert mail.outbox == []


def test_back_to_back_bookings_do_not_overlap(client, people, salle):
    create_booking(
        salle,
        paris(2026, 12, 5, 9, 0),
        paris(2026, 12, 5, 10, 30),
        setup=0,
        tidy=0,
        status=Booking.Status.CONFIRMED,
    )
    response = ask(
        client,
        people["clx"],
        request_data(
            salle,
            paris(2026, 12, 5, 10, 30),
            paris(2026, 12, 5, 12, 30),
            setup_minutes="0",
            tidy_minutes="0",
        ),
    )
    assert response.status_code == 302
    assert Booking.objects.count() == 2


def test_a_request_outside_the_agreed_slots_is_refused(client, people, salle):
    # A Sunday: no slot.
    response = ask(
        client,
        people["clx"],
        request_data(salle, paris(2026, 12, 6, 9, 30), paris(2026, 12, 6, 12, 0)),
    )
    message = " ".join(errors_of(response)["start"])
    assert "en dehors des créneaux convenus" in message
    assert "dimanche 6 décembre 2026" in message
    # The slot's own day, but the tidy-up runs past 12 h 30.
    response = ask(
        client,
        people["clx"],
        request_data(salle, paris(2026, 12, 5, 10, 0), paris(2026, 12, 5, 12, 15)),
    )
    assert "en dehors des créneaux convenus" in " ".join(errors_of(response)["start"])
    assert not Booking.objects.exists()


def test_a_closure_refuses_the_date(client, people, home_page):
    room = create_room(
        slots=[
            (paris(2026, 11, 7, 9, 0), paris(2026, 11, 7, 12, 30), "monthly_weekday")
        ],
        closures=[(datetime.date(2027, 1, 1), datetime.date(2027, 1, 3), "Fêtes")],
    )
    response = ask(
        client,
        people["clx"],
        request_data(room, paris(2027, 1, 2, 9, 30), paris(2027, 1, 2, 12, 0)),
    )
    assert "La salle est fermée" in " ".join(errors_of(response)["start"])
    assert "Fêtes" in " ".join(errors_of(response)["start"])


def test_confirming_over_a_confirmed_booking_is_refused(client, people, salle):
    first = create_booking(salle, paris(2026, 12, 5, 9, 30), paris(2026, 12, 5, 11, 0))
    second = create_booking(
        salle, paris(2026, 12, 5, 10, 30), paris(2026, 12, 5, 12, 0), purpose="Atelier"
    )
    decide(client, people["moderation"], first, "confirm")
    response = decide(client, people["moderation"], second, "confirm")
    second.refresh_from_db()
    assert second.status == Booking.Status.PENDING
    page = response.content.decode()
    assert "Impossible de confirmer" in page
    assert "Petit déj&#x27; du libre" in page or "Petit déj' du libre" in page


# -- Bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"start": "05/12/2026 12:00", "end": "05/12/2026 09:30"},
            "end",
            "La fin doit être après le début",
        ),
        (
            {"start": "05/12/2026 09:30", "end": "05/12/2026 09:30"},
            "end",
            "durée nulle",
        ),
        (
            {"start": "07/10/2026 09:30", "end": "07/10/2026 12:00"},
            "start",
            "Cette date est passée",
        ),
        ({"expected_attendance": "0"}, "expected_attendance", ""),
        ({"expected_attendance": "45"}, "expected_attendance", "30 personnes au plus"),
        ({"setup_minutes": "-5"}, "setup_minutes", ""),
        ({"setup_minutes": "600"}, "setup_minutes", ""),
        (
            {"recurrence": "monthly_weekday", "recurrence_until": "01/01/2030"},
            "recurrence_until",
            "ne peut pas dépasser",
        ),
        ({"start": "pas une date"}, "start", ""),
    ],
)
def test_bad_requests_get_a_french_message_next_to_the_field(
    client, people, salle, changes, field, message
):
    data = request_data(salle, paris(2026, 12, 5, 9, 30), paris(2026, 12, 5, 12, 0))
    data.update(changes)
    response = ask(client, people["clx"], data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not Booking.objects.exists()
    assert not BookingDate.objects.exists()


def test_a_zero_length_slot_is_refused_next_to_its_field(client, people, salle):
    client.force_login(people["moderation"])
    url = reverse("rooms:edit", args=(salle.pk,))
    data = {
        "venue": str(salle.venue_id),
        "name": salle.name,
        "capacity": "30",
        "description": "",
        "sort_order": "0",
        "slots-TOTAL_FORMS": "1",
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "1000",
        "slots-0-label": "Vide",
        "slots-0-start": "05/12/2026 14:00",
        "slots-0-end": "05/12/2026 14:00",
        "slots-0-recurrence": "",
        "slots-0-recurrence_until": "",
        "slots-0-recurrence_count": "",
        "slots-0-recurrence_rule": "",
        "slots-0-ORDER": "1",
        "slots-0-DELETE": "",
        "slots-0-id": "",
        "closures-TOTAL_FORMS": "0",
        "closures-INITIAL_FORMS": "0",
        "closures-MIN_NUM_FORMS": "0",
        "closures-MAX_NUM_FORMS": "1000",
    }
    # The first slot is the fixture's own; keep it as is.
    existing = salle.slots.get()
    data.update(
        {
            "slots-TOTAL_FORMS": "2",
            "slots-INITIAL_FORMS": "1",
            "slots-1-label": "",
            "slots-1-start": existing.start.astimezone(NOW.tzinfo).strftime(FMT),
            "slots-1-end": existing.end.astimezone(NOW.tzinfo).strftime(FMT),
            "slots-1-recurrence": existing.recurrence,
            "slots-1-recurrence_until": "",
            "slots-1-recurrence_count": "",
            "slots-1-recurrence_rule": existing.recurrence_rule,
            "slots-1-ORDER": "2",
            "slots-1-DELETE": "",
            "slots-1-id": str(existing.pk),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    formset = response.context["form"].formsets["slots"]
    assert "durée nulle" in str(formset.errors)
    assert salle.slots.count() == 1


# -- From a booking to an event --------------------------------------------------------


def test_a_confirmed_booking_becomes_a_draft_event_with_room_and_dates(
    client, people, salle
):
    booking = create_booking(
        salle,
        paris(2026, 12, 5, 9, 30),
        paris(2026, 12, 5, 12, 0),
        purpose="Petit déj' du libre de décembre",
        status=Booking.Status.CONFIRMED,
        requested_by=people["clx"],
    )
    client.force_login(people["clx"])
    response = client.post(reverse("room_bookings:draft_event", args=(booking.pk,)))
    event = EventPage.objects.get()
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=(event.pk,))
    assert not event.live
    assert event.title == "Petit déj' du libre de décembre"
    assert (event.room, event.venue) == (salle, salle.venue)
    assert (event.start, event.end) == (booking.start, booking.end)
    booking.refresh_from_db()
    assert booking.event == event
    # The event sits on its own booking without conflicting with it.
    response = client.get(reverse("wagtailadmin_pages:edit", args=(event.pk,)))
    assert response.status_code == 200
    # Only once.
    response = client.post(
        reverse("room_bookings:draft_event", args=(booking.pk,)), follow=True
    )
    assert "déjà été créé" in response.content.decode()
    assert EventPage.objects.count() == 1


def test_a_pending_booking_cannot_become_an_event(client, people, salle):
    booking = create_booking(
        salle, paris(2026, 12, 5, 9, 30), paris(2026, 12, 5, 12, 0)
    )
    client.force_login(people["clx"])
    client.post(reverse("room_bookings:draft_event", args=(booking.pk,)))
    assert not EventPage.objects.exists()


# -- Seeing the room -------------------------------------------------------------------


def test_month_view_shows_slots_bookings_and_events(client, people, salle):
    create_booking(
        salle,
        paris(2026, 12, 5, 9, 30),
        paris(2026, 12, 5, 11, 0),
        purpose="Install party",
        status=Booking.Status.CONFIRMED,
    )
    create_booking(
        salle, paris(2026, 12, 5, 11, 15), paris(2026, 12, 5, 12, 0), purpose="Atelier"
    )
    client.force_login(people["clx_editor"])
    response = client.get(reverse("rooms:month", args=(salle.pk, 2026, 12)))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Créneau convenu" in page
    assert "samedi 5 décembre 2026, 9 h – 12 h 30" in page
    assert "Install party (confirmée)" in page
    assert "Atelier (en attente)" in page
    # CLX does not get the staff's private feed address.
    assert salle.feed_token not in page
    client.force_login(people["moderation"])
    page = client.get(reverse("rooms:month", args=(salle.pk, 2026, 12))).content
    assert salle.feed_token.encode() in page


def test_private_feed_needs_the_secret_token(client, people, salle):
    create_booking(
        salle,
        paris(2026, 12, 5, 9, 30),
        paris(2026, 12, 5, 11, 0),
        purpose="Install party",
        status=Booking.Status.CONFIRMED,
    )
    response = client.get(reverse("events:room_bookings_ics", args=("devine",)))
    assert response.status_code == 404
    response = client.get(reverse("events:room_bookings_ics", args=(salle.feed_token,)))
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    assert "SUMMARY:Install party" in body
    # Blocked from setup (9 h 15) to tidy-up (11 h 15), Paris time.
    assert "DTSTART;TZID=Europe/Paris:20261205T091500" in body
