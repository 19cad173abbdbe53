"""A registration holds its seats only while its address confirms: the link
of the mail really sent (a GET shows a button, the POST confirms), holds
not confirmed in time are erased and their seats go to the waiting list,
one network may register only a few times to one date (a French 429), and
nothing an attacker receives tells whether another address is registered."""

import datetime
import io
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from events.models import Registration
from portal import formats
from tests.factories.events import paris
from tests.pages import text
from tests.registration_helpers import (
    cancel_link,
    confirm_link,
    make_event,
    post_registration,
    sent_to,
)

pytestmark = pytest.mark.django_db

HELD_FOR = datetime.timedelta(minutes=30)


def main_part(response):
    html = text(response)
    return html[html.index("<main") : html.index("</main>")]


def ask(client, event, occurrence, email, seats="1", remote_addr=None, **extra):
    """The form posted, the address not confirmed (yet)."""
    return post_registration(
        client,
        event,
        occurrence,
        confirm=False,
        email=email,
        seats=seats,
        remote_addr=remote_addr,
        **extra,
    )


def expire_holds():
    out = io.StringIO()
    call_command("expire_registration_holds", stdout=out)
    return out.getvalue()


def bands(client, event):
    client.cookies.clear()
    found = re.findall(
        r'class="registration-block__left[^"]*">(.*?)</', text(client.get(event.url))
    )
    return [band.strip() for band in found]


# -- The journey: a hold, then the mail's link ----------------------------------


def test_seats_are_held_until_the_address_confirms_through_the_mail(client, event):
    occurrence = event.occurrences(start=timezone.now())[0]
    response = ask(client, event, occurrence, "zoe@exemple.fr", seats="4")
    assert response.status_code == 200
    page = text(response)
    assert "Confirmez votre inscription" in page
    held_until = timezone.localtime(timezone.now() + HELD_FOR)
    assert f"Vos places vous sont réservées jusqu'à {held_until.hour} h" in page
    assert "zoe@exemple.fr" in page
    registration = Registration.objects.get()
    assert registration.status == "pending"
    # Held seats are taken for everyone else: 1 of 5 left.
    assert bands(client, event)[0] == "dernières places"

    (asked,) = mail.outbox
    assert asked.to == ["zoe@exemple.fr"]
    assert asked.subject.startswith("Confirmez votre inscription : Petit déj'")
    assert "confirmez votre inscription avant cette heure" in asked.body
    assert not asked.attachments  # no calendar entry before the confirmation
    assert "/inscription/annuler/" not in asked.body
    link = confirm_link(asked)

    # A mail scanner opening the link confirms nothing.
    for _ in range(2):
        page = client.get(link)
        assert page.status_code == 200
        assert "Confirmer mon inscription" in text(page)
        assert "private" in page["Cache-Control"]
    registration.refresh_from_db()
    assert registration.status == "pending"
    assert len(mail.outbox) == 1

    done = client.post(link, HTTP_ORIGIN="http://testserver")
    assert done.status_code == 200
    assert "inscription confirmée pour 4 places" in text(done)
    registration.refresh_from_db()
    assert (registration.status, registration.hold_expires_at) == ("confirmed", None)
    confirmed = mail.outbox[1]
    assert confirmed.subject.startswith("Inscription confirmée")
    assert confirmed.attachments[0][0].endswith(".ics")
    assert cancel_link(confirmed)

    # The link again: already done, nothing changes, no new mail.
    again = client.post(link, HTTP_ORIGIN="http://testserver")
    assert again.status_code == 200
    assert "Inscription confirmée" in text(again)
    assert len(mail.outbox) == 2


def test_an_unconfirmed_hold_expires_and_the_waiting_list_gets_the_seats(
    client, home_page
):
    # Summer time starts at 02:00 on Sunday 28 March 2027: a hold asked at
    # 01:45 (winter time) lasts until 03:15 (summer time), 30 minutes later.
    asked_at = paris(2027, 3, 28, 1, 45)
    with time_machine.travel(asked_at, tick=False):
        event = make_event(home_page, start=paris(2027, 4, 3, 10, 0))
        occurrence = event.occurrences()[0]
        ask(client, event, occurrence, "fantome@exemple.fr", seats="4")
        assert "réservées jusqu'à 3 h 15" in mail.outbox[-1].body
        hold_link = confirm_link(mail.outbox[-1])
        post_registration(client, event, occurrence, email="lea@exemple.fr", seats="2")
    lea = Registration.objects.get(email="lea@exemple.fr")
    assert lea.status == "waiting" and lea.hold_expires_at is None
    mail.outbox.clear()

    with time_machine.travel(asked_at + HELD_FOR - datetime.timedelta(seconds=1)):
        assert "effacées : 0" in expire_holds()
    with time_machine.travel(asked_at + HELD_FOR, tick=False):
        assert "effacées : 1" in expire_holds()
        assert "effacées : 0" in expire_holds()
        assert not Registration.objects.filter(email="fantome@exemple.fr").exists()
        lea.refresh_from_db()
        assert lea.status == "confirmed" and lea.promoted_at
        assert [m.to for m in mail.outbox] == [["lea@exemple.fr"]]
        assert "Une place s'est libérée" in mail.outbox[0].subject
        # The hold's link now says, in French, that it is too late.
        for response in (client.get(hold_link), client.post(hold_link)):
            assert response.status_code == 410
            assert "n'a pas été confirmée dans les 30 minutes" in text(response)


def test_the_next_registration_erases_overdue_holds_without_the_command(client, event):
    occurrence = event.occurrences(start=timezone.now())[0]
    ask(client, event, occurrence, "a@exemple.fr", seats="4")
    ask(client, event, occurrence, "b@exemple.fr", seats="1")
    late_link = confirm_link(mail.outbox[0])
    with time_machine.travel(timezone.now() + HELD_FOR + datetime.timedelta(minutes=1)):
        response = post_registration(
            client, event, occurrence, email="c@exemple.fr", seats="4"
        )
        assert "inscription confirmée pour 4 places" in text(response)
        response = client.post(late_link, HTTP_ORIGIN="http://testserver")
        assert response.status_code == 410
    assert list(Registration.objects.values_list("email", "status")) == [
        ("c@exemple.fr", "confirmed")
    ]


def test_an_unconfirmed_waiting_request_is_passed_over_until_it_confirms(client, event):
    occurrence = event.occurrences(start=timezone.now())[0]
    post_registration(client, event, occurrence, email="a@exemple.fr", seats="4")
    post_registration(client, event, occurrence, email="b@exemple.fr", seats="1")
    ask(client, event, occurrence, "lent@exemple.fr", seats="1")  # waiting, 1st
    late_link = confirm_link(mail.outbox[-1])
    post_registration(client, event, occurrence, email="c@exemple.fr", seats="1")
    b_cancels = cancel_link(sent_to("b@exemple.fr")[-1])
    mail.outbox.clear()

    client.post(b_cancels)
    # The seat goes to the first address that confirmed, not to a request
    # nobody confirmed yet.
    assert Registration.objects.get(email="c@exemple.fr").status == "confirmed"
    assert Registration.objects.get(email="lent@exemple.fr").status == "waiting"
    assert [m.to for m in mail.outbox] == [["c@exemple.fr"]]

    # Confirmed later, in time: on the waiting list, told so, without a rank.
    response = client.post(late_link, HTTP_ORIGIN="http://testserver")
    assert "vous êtes sur liste d'attente" in text(response)
    assert "Nous vous écrirons si une place se libère." in mail.outbox[-1].body
    assert not Registration.objects.get(email="lent@exemple.fr").hold_expires_at


def test_staff_see_held_seats_as_awaiting_confirmation(client, event, role_user):
    from portal import roles

    occurrence = event.occurrences(start=timezone.now())[0]
    post_registration(client, event, occurrence, email="a@exemple.fr", seats="2")
    ask(client, event, occurrence, "b@exemple.fr", seats="3")
    client.force_login(role_user(roles.MEDIATHEQUE_EDITORS))
    index = text(client.get("/admin/inscriptions/seances/"))
    assert "Places en attente de confirmation" in index
    registration_list = Registration.objects.get(email="b@exemple.fr")
    from events.models import RegistrationList

    pk = RegistrationList.objects.get(
        event=event, occurrence_start=registration_list.occurrence_start
    ).pk
    page = text(client.get(f"/admin/inscriptions/seance/{pk}/"))
    assert "Places en attente de confirmation" in page
    assert "En attente de confirmation de l'adresse (1)" in page
    counters = re.search(r"<tbody><tr>(.*?)</tr></tbody>", page).group(1)
    # capacity, confirmed seats, held seats, free, waiting, cancelled
    assert re.findall(r"<td>(\d+)", counters) == ["5", "2", "3", "0", "0", "0"]


# -- One network, one date: a cap ------------------------------------------------


def test_one_network_registers_at_most_three_times_per_date_then_a_french_429(
    client, home_page
):
    # The finding: 5 × 4 seats from one address filled a 20-seat date.
    event = make_event(home_page, capacity=20)
    one, two = event.occurrences(start=timezone.now())[:2]
    for n in range(3):
        response = ask(
            client, event, one, f"invente{n}@exemple.fr", "4", remote_addr="203.0.113.7"
        )
        assert response.status_code == 200
    response = ask(client, event, one, "invente3@exemple.fr", "4", "203.0.113.7")
    assert response.status_code == 429
    page = text(response)
    assert 'lang="fr"' in page
    assert "Trop d'inscriptions à cette séance depuis votre connexion" in page
    assert "3 par heure au plus" in page
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "no-store" in response["Cache-Control"]
    assert Registration.objects.count() == 3  # 12 seats held, for 30 minutes
    assert bands(client, event)[0] == "places disponibles"
    # The same /64 is one network; other dates and other networks are free.
    v6 = "2001:db8:1:2::"
    for host in ("1", "2", "3"):
        assert (
            ask(client, event, one, f"{host}@exemple.fr", "1", v6 + host).status_code
            == 200
        )
    assert ask(client, event, one, "v6@exemple.fr", "1", v6 + "ffff").status_code == 429
    assert (
        ask(client, event, two, "autre@exemple.fr", "1", "203.0.113.7").status_code
        == 200
    )
    assert (
        ask(client, event, one, "voisin@exemple.fr", "1", "203.0.113.8").status_code
        == 200
    )


# -- No oracle: the attacker's answers are the same either way ------------------


def test_the_cap_counts_a_repeated_address_like_a_new_one(client, event):
    one, two = event.occurrences(start=timezone.now())[:2]
    post_registration(client, event, one, email="victime@exemple.fr")
    answers = []
    for occurrence in (one, two):  # victim registered at `one` only
        statuses = [
            ask(
                client, event, occurrence, email, remote_addr="203.0.113.66"
            ).status_code
            for email in ("a1@exemple.fr", "victime@exemple.fr", "a2@exemple.fr")
        ]
        statuses.append(
            ask(
                client, event, occurrence, "a3@exemple.fr", remote_addr="203.0.113.66"
            ).status_code
        )
        answers.append(statuses)
    assert answers[0] == answers[1] == [200, 200, 200, 429]


def test_an_attacker_receives_the_same_whether_or_not_a_third_address_registered(
    client, home_page
):
    """The finding: the waiting-list rank mailed to one's own addresses moved
    by 1 after a repeated address, by 2 after a new one. Two dates of one
    full event: the victim is on the waiting list of the first only; the
    attacker then registers own address a1, the victim's address, own a2,
    and confirms a1 and a2 through their mails, at both dates."""
    event = make_event(home_page, capacity=5)
    dates = event.occurrences(start=timezone.now())[:2]
    seen = {}
    with time_machine.travel(timezone.now(), tick=False):
        for occurrence in dates:
            post_registration(
                client, event, occurrence, email="f1@exemple.fr", seats="4"
            )
            post_registration(
                client, event, occurrence, email="f2@exemple.fr", seats="1"
            )
        post_registration(client, event, dates[0], email="victime@exemple.fr")
        assert Registration.objects.get(email="victime@exemple.fr").status == "waiting"

        for occurrence in dates:
            mail.outbox.clear()
            day = formats.day(timezone.localtime(occurrence.start))
            pages = []
            for email in ("a1@exemple.fr", "victime@exemple.fr", "a2@exemple.fr"):
                pages.append(
                    ask(client, event, occurrence, email, remote_addr="203.0.113.66")
                )
            for email in ("a1@exemple.fr", "a2@exemple.fr"):
                link = confirm_link(sent_to(email, "/confirmer/")[-1])
                pages.append(client.get(link))
                pages.append(client.post(link, HTTP_ORIGIN="http://testserver"))
            manage = re.search(
                r"https?://[^/\s]+(/agenda/inscription/gerer/\S+/)",
                sent_to("a1@exemple.fr")[-1].body,
            ).group(1)
            pages.append(client.get(manage))
            to_attacker = [
                (m.subject, m.body, m.alternatives[0][0])
                for m in mail.outbox
                if m.to != ["victime@exemple.fr"]
            ]
            seen[occurrence.start] = [
                _without_date_and_tokens(part, day)
                for part in [(page.status_code, main_part(page)) for page in pages]
                + to_attacker
            ]
    first, second = seen.values()
    assert len(first) == 3 + 4 + 1 + 4  # pages, then 2 mails per address
    assert first == second
    assert not any("position" in str(part) for part in first)


def _without_date_and_tokens(part, day):
    text_of = str(part).replace(day, "<date>")
    text_of = re.sub(r"\d{1,2} décembre|\d{1,2} \w+ 20\d\d", "<date>", text_of)
    return re.sub(r"/(confirmer|annuler|gerer)/[^/\s\"'<]+/", r"/\1/<jeton>/", text_of)
