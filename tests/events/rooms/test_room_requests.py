"""A room request as each partner lives it, through the real admin URLs and
as the role concerned: the mails' « Voir la demande » opens the request for
whoever receives it; times read in Paris time; a request that competes with
another pending one says so on both; the request form shows the agreed
slots; the month view lets a closure win over the slots, across months; the
draft event made from CLX's booking is organised by CLX; CLX withdraws a
pending request; either partner cancels a confirmed booking or one date of a
series, the other is told and the freed dates are free again.

Time is frozen on Monday 2 November 2026, 10 h in Paris (9 h UTC).
"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from events.models import Booking, BookingDate, EventPage
from portal import roles
from tests.factories.rooms import create_booking, create_room, paris
from tests.pages import mail_links
from tests.room_helpers import ORIGIN, post_room_request, room_request_data

pytestmark = pytest.mark.django_db

NOW = paris(2026, 11, 2, 10, 0)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def people(portal_roles):
    return {role: portal_roles(role) for role in roles.ROLES}


@pytest.fixture
def salle(home_page):
    """Lent on the first Saturday of each month, 9 h – 12 h 30, and closed
    for the holidays across New Year (the 2 January is a first Saturday)."""
    return create_room(
        slots=[
            (
                paris(2026, 11, 7, 9, 0),
                paris(2026, 11, 7, 12, 30),
                "monthly_weekday",
                "Petit-déj du libre",
            )
        ],
        closures=[
            (
                datetime.date(2026, 12, 24),
                datetime.date(2027, 1, 3),
                "Fêtes de fin d'année",
            )
        ],
    )


def clx(people):
    return people[roles.CLX_COORDINATION]


def moderation(people):
    return people[roles.MODERATION]


def request_data(room, start, end, purpose="Petit déj' du libre « spécial Noël »"):
    return room_request_data(room, start, end, purpose=purpose)


def ask(client, user, data):
    response = post_room_request(client, user, data, follow=True)
    assert response.status_code == 200
    form = response.context.get("form")
    assert form is None or not form.errors, form.errors
    return response


def inspect(client, user, booking):
    client.force_login(user)
    return client.get(reverse("room_bookings:inspect", args=(booking.pk,)))


def links(message):
    return mail_links(message)


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def assert_each_link_opens_for_its_recipient(client, people, purpose):
    by_email = {user.email: user for user in people.values()}
    assert mail.outbox
    for message in mail.outbox:
        found = links(message)
        assert found, message.body
        for recipient, url in ((to, url) for to in message.to for url in found):
            client.force_login(by_email[recipient])
            response = client.get(path_of(url))
            assert response.status_code == 200, (recipient, url, response.status_code)
            assert purpose in response.content.decode()


# -- 24#3: every room mail's link opens the request for its recipient -----------


def test_each_room_mail_link_opens_the_request_for_its_recipient(client, people, salle):
    purpose = "Install party « Adieu Windows 10 »"
    ask(
        client,
        clx(people),
        request_data(
            salle, paris(2026, 12, 5, 9, 30), paris(2026, 12, 5, 12, 0), purpose=purpose
        ),
    )
    booking = Booking.objects.get()
    # CLX is acknowledged; administration and moderation (who decide) are told.
    told = {address for message in mail.outbox for address in message.to}
    assert told == {
        clx(people).email,
        moderation(people).email,
        people[roles.ADMINISTRATION].email,
    }
    assert_each_link_opens_for_its_recipient(client, people, "Install party")
    mail.outbox.clear()

    client.force_login(moderation(people))
    client.post(
        reverse("room_bookings:decide", args=(booking.pk,)),
        {"decision": "confirm", "comment": "La clé est à l'accueil."},
        **ORIGIN,
    )
    assert Booking.objects.get().status == Booking.Status.CONFIRMED
    assert_each_link_opens_for_its_recipient(client, people, "Install party")
    # The decision page is where the médiathèque decides.
    assert "/admin/salles/demandes/inspect/" in links(mail.outbox[0])[0]


# -- Paris time ---------------------------------------------------------------------


def test_request_page_shows_when_it_was_asked_and_decided_in_paris_time(
    client, people, salle
):
    ask(
        client,
        clx(people),
        request_data(salle, paris(2026, 12, 5, 9, 30), paris(2026, 12, 5, 12, 0)),
    )
    booking = Booking.objects.get()
    client.force_login(moderation(people))
    client.post(
        reverse("room_bookings:decide", args=(booking.pk,)),
        {"decision": "confirm", "comment": ""},
        **ORIGIN,
    )
    page = inspect(client, clx(people), booking).content.decode()
    # 10 h in Paris is 9 h UTC: the page says 10 h, as the clock on the wall.
    assert page.count("lundi 2 novembre 2026 à 10 h") == 2
    assert "09:00" not in page and "9 h" not in page.replace("9 h 30", "")


# -- Two pending requests for the same hours ----------------------------------------


def test_overlapping_pending_requests_are_flagged_on_both(client, people, salle):
    first_purpose = "Petit déj' du libre de décembre"
    ask(
        client,
        clx(people),
        request_data(
            salle, paris(2026, 12, 5, 9, 30), paris(2026, 12, 5, 11, 0), first_purpose
        ),
    )
    first = Booking.objects.get()
    mail.outbox.clear()
    editor = people[roles.CLX_EDITORS]
    response = ask(
        client,
        editor,
        request_data(
            salle,
            paris(2026, 12, 5, 10, 30),
            paris(2026, 12, 5, 12, 0),
            "Cryptoparty « vie privée »",
        ),
    )
    second = Booking.objects.exclude(pk=first.pk).get()
    assert second.status == Booking.Status.PENDING
    # The requester is warned at once…
    assert "Chevauche la demande en attente « Petit déj" in response.content.decode()
    # …the médiathèque is told in the request mail…
    (staff,) = [m for m in mail.outbox if moderation(people).email in m.to]
    assert "Petit déj' du libre de décembre" in staff.body
    assert "une autre demande en attente" in staff.body
    # …and each request's page names the other instead of « La salle est libre ».
    for booking, other in ((first, "Cryptoparty"), (second, "Petit déj")):
        page = inspect(client, moderation(people), booking).content.decode()
        assert "La salle est libre" not in page
        assert f"Chevauche la demande en attente « {other}" in page.replace(
            "&#x27;", "'"
        )

    # Once the médiathèque confirms one, the other cannot be confirmed.
    client.post(
        reverse("room_bookings:decide", args=(first.pk,)),
        {"decision": "confirm", "comment": ""},
        **ORIGIN,
    )
    page = inspect(client, moderation(people), second).content.decode()
    assert "Cette demande ne peut pas être confirmée" in page


# -- The request form and the month view ---------------------------------------------


def test_request_form_shows_the_agreed_slots_and_closures(client, people, salle):
    client.force_login(people[roles.CLX_EDITORS])
    page = client.get(reverse("room_bookings:add")).content.decode()
    assert "Créneaux convenus avec la médiathèque" in page
    assert "Petit-déj du libre" in page
    assert "samedi 7 novembre 2026, 9 h – 12 h 30" in page
    assert "Fermée du jeudi 24 décembre 2026 au dimanche 3 janvier 2027" in page
    # Before the holidays, the next open first Saturday is in February.
    with time_machine.travel(paris(2026, 12, 20, 10, 0), tick=False):
        client.force_login(people[roles.CLX_EDITORS])
        page = client.get(reverse("room_bookings:add")).content.decode()
    assert "prochain : samedi 6 février 2027, 9 h – 12 h 30" in page
    assert "samedi 2 janvier 2027" not in page


def test_month_view_lets_the_closure_win_and_crosses_the_month_edge(
    client, people, salle
):
    client.force_login(people[roles.CLX_COORDINATION])
    january = client.get(reverse("rooms:month", args=(salle.pk, 2027, 1)))
    assert january.status_code == 200
    days = {
        day["date"]: [entry["kind"] for entry in day["entries"]]
        for day in january.context["days"]
    }
    # The 2 January is a first Saturday, but the médiathèque is closed.
    assert days[datetime.date(2027, 1, 2)] == ["closure"]
    assert days[datetime.date(2027, 1, 3)] == ["closure"]
    assert days[datetime.date(2027, 1, 4)] == []
    assert days[datetime.date(2027, 1, 1)] == ["closure"]
    page = january.content.decode()
    assert "fermée du jeudi 24 décembre 2026 au dimanche 3 janvier 2027" in page
    december = client.get(reverse("rooms:month", args=(salle.pk, 2026, 12)))
    days = {d["date"]: d["entries"] for d in december.context["days"]}
    assert [e["kind"] for e in days[datetime.date(2026, 12, 5)]] == ["slot"]
    assert days[datetime.date(2026, 12, 23)] == []
    for number in range(24, 32):
        assert [e["kind"] for e in days[datetime.date(2026, 12, number)]] == ["closure"]


# -- The draft event ---------------------------------------------------------------


def test_draft_event_from_a_clx_booking_is_organised_by_clx(client, people, salle):
    booking = create_booking(
        salle,
        paris(2026, 12, 5, 9, 30),
        paris(2026, 12, 5, 12, 0),
        purpose="Atelier « libérez votre ordinateur »",
        status=Booking.Status.CONFIRMED,
        requested_by=people[roles.CLX_EDITORS],
    )
    client.force_login(clx(people))
    response = client.post(
        reverse("room_bookings:draft_event", args=(booking.pk,)), **ORIGIN
    )
    assert response.status_code == 302
    event = EventPage.objects.get(room_bookings=booking)
    assert [p.slug for p in event.partners.all()] == ["clx"]
    edit = client.get(response["Location"])
    assert edit.status_code == 200


# -- Withdrawing and cancelling -----------------------------------------------------


def test_clx_withdraws_its_pending_request_and_the_mediatheque_is_told(
    client, people, salle
):
    ask(
        client,
        clx(people),
        request_data(salle, paris(2026, 12, 5, 9, 30), paris(2026, 12, 5, 12, 0)),
    )
    booking = Booking.objects.get()
    url = reverse("room_bookings:withdraw", args=(booking.pk,))
    # The médiathèque declines; it does not withdraw CLX's request.
    assert (
        "Retirer cette demande"
        not in inspect(client, moderation(people), booking).content.decode()
    )
    client.post(url, **ORIGIN)
    assert Booking.objects.get().status == Booking.Status.PENDING

    page = inspect(client, clx(people), booking).content.decode()
    assert "Retirer cette demande" in page
    mail.outbox.clear()
    response = client.post(url, follow=True, **ORIGIN)
    assert "Demande retirée" in response.content.decode()
    assert Booking.objects.get().status == Booking.Status.CANCELLED
    told = {address for message in mail.outbox for address in message.to}
    assert moderation(people).email in told and clx(people).email not in told
    assert all("retir" in m.subject for m in mail.outbox)
    assert_each_link_opens_for_its_recipient(client, people, "spécial Noël")
    (entry,) = ModelLogEntry.objects.for_instance(booking)
    assert entry.action == "events.booking.withdrawn" and entry.user == clx(people)
    # Nothing is decided on a withdrawn request, and a second withdrawal says so.
    assert (
        "Décision de la médiathèque"
        not in inspect(client, moderation(people), booking).content.decode()
    )
    client.force_login(clx(people))
    response = client.post(url, follow=True, **ORIGIN)
    assert "Seule une demande en attente peut être retirée" in response.content.decode()


def test_mediatheque_cancels_one_date_of_a_series_and_it_is_free_again(
    client, people, salle
):
    booking = create_booking(
        salle,
        paris(2026, 11, 7, 9, 30),
        paris(2026, 11, 7, 12, 0),
        purpose="Petit déj' du libre de l'hiver",
        status=Booking.Status.CONFIRMED,
        requested_by=clx(people),
        recurrence="weekly",
        recurrence_count=3,
    )
    # (Weekly dates outside the slots: the factory stores them unchecked.)
    dates = list(booking.booked_dates.order_by("start"))
    assert len(dates) == 3
    first = dates[0]
    page = inspect(client, moderation(people), booking).content.decode()
    assert "Annuler cette date" in page and "Annuler la réservation" in page

    mail.outbox.clear()
    response = client.post(
        reverse("room_bookings:cancel", args=(booking.pk,)),
        {"date": str(first.pk), "comment": "Inventaire de la médiathèque."},
        follow=True,
        **ORIGIN,
    )
    assert (
        "Date annulée (samedi 7 novembre 2026, 9 h 30 – 12 h)"
        in response.content.decode()
    )
    assert not BookingDate.objects.filter(pk=first.pk).exists()
    assert Booking.objects.get().status == Booking.Status.CONFIRMED
    (message,) = mail.outbox
    assert message.to == [clx(people).email]
    assert "samedi 7 novembre 2026, 9 h 30 – 12 h" in message.body
    assert "Inventaire de la médiathèque." in message.body
    assert_each_link_opens_for_its_recipient(client, people, "hiver")
    (entry,) = ModelLogEntry.objects.for_instance(booking)
    assert entry.action == "events.booking.date_cancelled"
    assert "samedi 7 novembre 2026" in entry.message
    page = inspect(client, clx(people), booking).content.decode()
    assert "Date de la réservation annulée : samedi 7 novembre 2026" in page

    # The freed date is free: a new request for it is confirmed.
    mail.outbox.clear()
    ask(
        client,
        clx(people),
        request_data(
            salle,
            paris(2026, 11, 7, 9, 30),
            paris(2026, 11, 7, 12, 0),
            "Atelier « œuvres libres »",
        ),
    )
    again = Booking.objects.get(purpose__startswith="Atelier")
    client.force_login(moderation(people))
    client.post(
        reverse("room_bookings:decide", args=(again.pk,)),
        {"decision": "confirm", "comment": ""},
        **ORIGIN,
    )
    assert Booking.objects.get(pk=again.pk).status == Booking.Status.CONFIRMED


def test_clx_cancels_a_confirmed_booking_and_the_mediatheque_is_told(
    client, people, salle
):
    booking = create_booking(
        salle,
        paris(2026, 12, 5, 9, 30),
        paris(2026, 12, 5, 12, 0),
        purpose="Install party d'hiver",
        status=Booking.Status.CONFIRMED,
        requested_by=clx(people),
    )
    # Médiathèque – Rédaction sees bookings but neither decides nor requests.
    redaction = people[roles.MEDIATHEQUE_EDITORS]
    assert (
        "Annuler la réservation"
        not in inspect(client, redaction, booking).content.decode()
    )
    response = client.post(
        reverse("room_bookings:cancel", args=(booking.pk,)), {"comment": ""}, **ORIGIN
    )
    assert response.status_code in (302, 403)
    assert Booking.objects.get().status == Booking.Status.CONFIRMED

    client.force_login(people[roles.CLX_EDITORS])
    mail.outbox.clear()
    response = client.post(
        reverse("room_bookings:cancel", args=(booking.pk,)),
        {"comment": "L'intervenant est malade."},
        follow=True,
        **ORIGIN,
    )
    assert "Réservation annulée" in response.content.decode()
    assert Booking.objects.get().status == Booking.Status.CANCELLED
    assert not BookingDate.objects.filter(booking=booking).exists()
    told = {address for message in mail.outbox for address in message.to}
    # The médiathèque's deciders, and the requester (another CLX account acted).
    assert told == {
        moderation(people).email,
        people[roles.ADMINISTRATION].email,
        clx(people).email,
    }
    assert all("L'intervenant est malade." in m.body for m in mail.outbox)
    assert_each_link_opens_for_its_recipient(client, people, "Install party")
    # The room is free again that morning.
    page = client.get(
        reverse("rooms:month", args=(salle.pk, 2026, 12))
    ).content.decode()
    assert "Install party" not in page
