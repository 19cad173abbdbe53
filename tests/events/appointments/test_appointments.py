"""Appointments in « assistance informatique » sessions, through the public
pages: the free slots on the event page, booking without an account, the
mails, the private link that moves or cancels, and what a stranger or a
hostile request can never do."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from events.appointments import rules
from events.models import (
    Appointment,
    AppointmentSession,
    AppointmentTally,
    EventCancellation,
    EventIndexPage,
)
from tests.factories.appointments import appointment_event, book_url, booking_data, key
from tests.factories.events import create_event, paris
from tests.pages import mail_link_path

pytestmark = pytest.mark.django_db

NOW = paris(2026, 11, 20, 10, 0)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def event(home_page):
    return appointment_event(home_page)


def manage_path(message):
    return mail_link_path(message, "/agenda/rendez-vous/")


def page_text(response):
    return unescape(response.content.decode())


FIRST = paris(2026, 12, 1, 14, 0)
SECOND = paris(2026, 12, 1, 14, 30)


# -- Seeing the slots ----------------------------------------------------------


def test_event_page_shows_next_free_slots(client, event):
    response = client.get(event.url)
    text = page_text(response)
    assert "Sur rendez-vous — prochains créneaux libres" in text
    assert "mardi 1 décembre 2026, 14 h 00" in text
    assert book_url(event, key(FIRST)).replace("+", "%2B") in text.replace("&amp;", "&")


def test_event_page_query_count_does_not_grow_with_appointments(
    client, event, django_assert_max_num_queries
):
    client.get(event.url)  # warm the agenda's cache
    with django_assert_max_num_queries(40) as few:
        client.get(event.url)
    budget = len(few)
    for i, occurrence in enumerate(event.occurrences()[:5]):
        for slot_start, _end in rules.slot_bounds(occurrence.start, occurrence.end, 30):
            for n in range(2):
                rules.book(
                    event,
                    slot_start,
                    name=f"P{i}{n}",
                    email=f"p{i}-{n}-{slot_start:%H%M}@exemple.fr",
                    device="ordinateur",
                    need="photos",
                )
    client.get(event.url)
    with django_assert_max_num_queries(budget):
        response = client.get(event.url)
    # The five first dates are full: the next free slot is on the sixth.
    assert "mardi 5 janvier 2027, 14 h 00" in page_text(response)


def test_form_lists_times_as_radio_buttons_in_fieldsets(client, event):
    response = client.get(book_url(event, key(SECOND)))
    text = page_text(response)
    assert response.status_code == 200
    assert "<legend>Choisissez un horaire *</legend>" in text
    assert "<legend>mardi 1 décembre 2026</legend>" in text
    assert f'value="{key(SECOND)}" id="creneau-1-2" checked' in text
    assert "de 14 h 00 à 14 h 30" in text
    assert "<script" not in text.split("<main", 1)[-1].split("</main>")[0]


# -- Booking, the mails, moving, cancelling --------------------------------------


def test_booking_journey_mail_move_cancel(client, event):
    response = client.post(book_url(event), booking_data(key(FIRST)))
    assert response.status_code == 200
    assert "Rendez-vous confirmé" in page_text(response)
    appointment = Appointment.objects.get()
    assert appointment.slot_start == FIRST
    assert appointment.slot_end == FIRST + datetime.timedelta(minutes=30)
    assert (appointment.device, appointment.need) == ("ordinateur", "messagerie")

    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["camille@exemple.fr"]
    assert confirmation.subject.startswith("Rendez-vous confirmé")
    assert "mardi 1 décembre 2026, de 14 h 00 à 14 h 30" in confirmation.body
    name, ics, mimetype = confirmation.attachments[0]
    assert name == "rendez-vous.ics" and mimetype.startswith("text/calendar")
    assert "DTSTART;TZID=Europe/Paris:20261201T140000" in ics
    assert "STATUS:CONFIRMED" in ics
    link = manage_path(confirmation)

    # The link shows the appointment and changes nothing on GET.
    page = client.get(link)
    assert page.status_code == 200
    assert "Gérer mon rendez-vous" in page_text(page)

    moved = client.post(link, {"action": "move", "slot": key(SECOND)})
    assert moved.status_code == 200
    assert "Rendez-vous déplacé" in page_text(moved)
    appointment.refresh_from_db()
    assert appointment.slot_start == SECOND
    assert mail.outbox[-1].subject.startswith("Rendez-vous déplacé")
    assert "20261201T143000" in mail.outbox[-1].attachments[0][1]

    # Moving to another date of the same event works too.
    next_week = paris(2026, 12, 8, 15, 0)
    assert (
        client.post(link, {"action": "move", "slot": key(next_week)}).status_code == 200
    )
    appointment.refresh_from_db()
    assert appointment.slot_start == next_week
    assert appointment.session.occurrence_start == paris(2026, 12, 8, 14, 0)

    cancelled = client.post(link, {"action": "cancel"})
    assert cancelled.status_code == 200
    appointment.refresh_from_db()
    assert appointment.is_cancelled
    assert mail.outbox[-1].subject.startswith("Rendez-vous annulé")
    assert "STATUS:CANCELLED" in mail.outbox[-1].attachments[0][1]
    # The link works once: afterwards it says so.
    assert client.get(link).status_code == 410


def test_same_address_again_never_changes_the_appointment(client, event):
    client.post(book_url(event), booking_data(key(FIRST)))
    first = client.post(book_url(event), booking_data(key(SECOND)))
    owner = Appointment.objects.get(status="booked")
    mail.outbox.clear()

    stranger = client.post(
        book_url(event),
        booking_data(key(SECOND), name="Quelqu'un d'autre", email="CAMILLE@exemple.fr"),
    )
    assert stranger.status_code == 200
    # Same page as a new booking: nothing tells the stranger it exists.
    assert "Rendez-vous confirmé" in page_text(stranger)
    assert first.status_code == stranger.status_code
    assert Appointment.objects.filter(status="booked").count() == 1
    owner.refresh_from_db()
    assert (owner.slot_start, owner.name) == (FIRST, "Camille Martin")
    # The owner is told, with their own link.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille@exemple.fr"]
    assert "il n'a pas été modifié" in mail.outbox[0].body
    assert "/agenda/rendez-vous/" in mail.outbox[0].body


def test_a_forged_or_tampered_link_changes_nothing(client, event):
    client.post(book_url(event), booking_data(key(FIRST)))
    link = manage_path(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged = link.replace(
        token, token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    )
    response = client.post(forged, {"action": "cancel"})
    assert response.status_code == 400
    assert "Ce lien n'est pas valide" in page_text(response)
    other = client.post("/agenda/rendez-vous/n-importe-quoi/", {"action": "cancel"})
    assert other.status_code == 400
    assert Appointment.objects.get().is_booked


def test_phone_only_booking_sends_no_mail_and_says_to_call(client, event):
    response = client.post(
        book_url(event), booking_data(key(FIRST), email="", phone="06 12 34 56 78")
    )
    assert response.status_code == 200
    assert "appelez la médiathèque" in page_text(response)
    assert Appointment.objects.get().contact_key == "tel:0612345678"
    assert mail.outbox == []
    # The same number again: no second appointment.
    client.post(
        book_url(event), booking_data(key(SECOND), email="", phone="+33 6 12 34 56 78")
    )
    assert Appointment.objects.filter(status="booked").count() == 1


def test_email_or_phone_is_required(client, event):
    response = client.post(book_url(event), booking_data(key(FIRST), email=""))
    assert response.status_code == 400
    assert "Indiquez une adresse e-mail ou, à défaut" in page_text(response)
    assert not Appointment.objects.exists()


def test_honeypot_stores_nothing(client, event):
    response = client.post(
        book_url(event), booking_data(key(FIRST), website="http://spam.example")
    )
    assert response.status_code == 400
    assert not Appointment.objects.exists()


# -- Full, past, foreign, hostile ----------------------------------------------------


def test_full_slot_says_so_and_offers_the_next_free_one(client, home_page):
    event = appointment_event(home_page, places=1)
    client.post(book_url(event), booking_data(key(FIRST), email="a@exemple.fr"))
    response = client.post(
        book_url(event), booking_data(key(FIRST), email="b@exemple.fr")
    )
    text = page_text(response)
    assert response.status_code == 409
    assert "ce créneau vient d'être pris" in text
    assert "Le prochain créneau libre est le mardi 1 décembre 2026 à 14 h 30" in text
    assert f'value="{key(SECOND)}" id="creneau-1-2" checked' in text
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    ("slot", "status", "words"),
    [
        (
            "2026-11-17T14:00:00+01:00",
            404,
            "Ce créneau n'existe pas",
        ),  # before the first
        ("2026-12-01T14:10:00+01:00", 404, "Ce créneau n'existe pas"),  # between slots
        ("2026-12-01T16:00:00+01:00", 404, "Ce créneau n'existe pas"),  # after the end
        ("pas-une-date", 404, "Ce créneau n'existe pas"),
        # NUL is refused by the portal's middleware before any view.
        ("2026-12-01T14:00:00\x00", 400, "Vérifiez ce que vous avez saisi"),
        ("9" * 500, 400, "Cet horaire n'est pas valide"),
    ],
)
def test_bad_slots_get_a_french_4xx_and_store_nothing(
    client, event, slot, status, words
):
    response = client.post(book_url(event), booking_data(slot))
    assert response.status_code == status
    assert words in page_text(response)
    assert not Appointment.objects.exists()


def test_past_slot_is_refused(client, event):
    with time_machine.travel(paris(2026, 12, 1, 14, 45), tick=False):
        response = client.post(book_url(event), booking_data(key(SECOND)))
    assert response.status_code == 410
    assert "Ce créneau est passé" in page_text(response)
    assert not Appointment.objects.exists()


def test_another_events_slot_is_refused(client, home_page, event):
    other = appointment_event(home_page, start=paris(2026, 12, 3, 10, 0))
    response = client.post(
        book_url(event), booking_data(key(paris(2026, 12, 3, 10, 0)))
    )
    assert response.status_code == 404
    assert other.pk != event.pk and not Appointment.objects.exists()


def test_event_not_on_appointment_answers_404(client, home_page):
    plain = create_event(EventIndexPage.objects.get(), slug="conference")
    for url in ("/agenda/nexiste-pas/rendez-vous/", book_url(plain)):
        response = client.get(url)
        assert response.status_code == 404
        assert "ne se réserve pas sur rendez-vous" in page_text(response)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("name", "Camille\x00Martin", ""),
        ("name", "Camille\r\nBcc: x@exemple.fr", "une seule ligne"),
        # Issue 25#7: the separators other forms refuse, and direction
        # overrides that disguise a name in mails and the day sheet.
        ("name", "Camille\u2028Bcc: x@exemple.fr", "une seule ligne"),
        ("name", "Camille \u202egpj.exe", "caractère invisible"),
        ("name", "Camille\u2066Martin\u2069", "caractère invisible"),
        ("need_details", "Ma box \u202eeciffo", "caractère invisible"),
        ("name", "C" * 5000, "150 caractères"),
        ("need_details", "a" * 5000, "300 caractères"),
        ("system", "Windows\nBcc", "une seule ligne"),
        ("system", "Windows\t10", "caractère invisible"),
        ("email", "camille@exemple.fr\r\nBcc: x@exemple.fr", "n'est pas valide"),
        ("phone", "06\x0012", ""),
        ("device", "grille-pain", "Choisissez un appareil"),
        ("need", "", "Dites-nous pour quoi"),
    ],
)
def test_hostile_fields_get_a_french_400_and_store_nothing(
    client, event, field, value, words
):
    response = client.post(book_url(event), booking_data(key(FIRST), **{field: value}))
    assert response.status_code == 400
    text = page_text(response)
    if "\x00" in value:  # refused by the portal's middleware before the form
        assert "Vérifiez ce que vous avez saisi" in text
    else:
        assert "Le formulaire contient" in text
    assert words in text
    assert not Appointment.objects.exists()
    assert mail.outbox == []


def test_other_needs_require_a_short_text(client, event):
    response = client.post(book_url(event), booking_data(key(FIRST), need="autre"))
    assert response.status_code == 400
    assert "Dites-nous en quelques mots" in page_text(response)


# -- Cancelled dates, places per date, DST --------------------------------------------


def test_cancelled_occurrence_cancels_its_appointments_and_tells_people(client, event):
    client.post(book_url(event), booking_data(key(FIRST)))
    client.post(book_url(event), booking_data(key(FIRST), email="b@exemple.fr"))
    mail.outbox.clear()
    assert rules.cancel_occurrence(event, FIRST, reason="Médiathèque fermée.") == 2
    assert not Appointment.objects.booked().exists()
    assert len(mail.outbox) == 2
    assert all(m.subject.startswith("Séance annulée") for m in mail.outbox)
    assert "Médiathèque fermée." in mail.outbox[0].body
    response = client.post(
        book_url(event), booking_data(key(SECOND), email="c@exemple.fr")
    )
    assert response.status_code == 410
    assert "<legend>mardi 1 décembre 2026</legend>" not in page_text(
        client.get(book_url(event))
    )


def test_places_are_set_per_date(client, event):
    rules.set_places(event, FIRST, 1)
    client.post(book_url(event), booking_data(key(FIRST), email="a@exemple.fr"))
    assert (
        client.post(
            book_url(event), booking_data(key(FIRST), email="b@exemple.fr")
        ).status_code
        == 409
    )
    # Next week keeps the event's two places.
    week = paris(2026, 12, 8, 14, 0)
    for who in ("a", "b"):
        assert (
            client.post(
                book_url(event), booking_data(key(week), email=f"{who}@exemple.fr")
            ).status_code
            == 200
        )
    assert AppointmentSession.objects.get(occurrence_start=FIRST).places == 1


def test_slots_keep_local_time_across_the_autumn_change(client, home_page):
    with time_machine.travel(paris(2026, 10, 1, 10, 0), tick=False):
        event = appointment_event(home_page, start=paris(2026, 10, 20, 14, 0))
        days = rules.bookable(event)
    before, after = days[0], days[1]  # 20 and 27 October; clocks change on the 25th
    assert [s.local_start.strftime("%H:%M") for s in before.slots] == [
        "14:00",
        "14:30",
        "15:00",
        "15:30",
    ]
    assert [s.local_start.strftime("%H:%M") for s in after.slots] == [
        "14:00",
        "14:30",
        "15:00",
        "15:30",
    ]
    assert before.slots[0].start.utcoffset() == datetime.timedelta(0)
    assert before.slots[0].start.hour == 12 and after.slots[0].start.hour == 13


def test_slots_never_fall_in_the_missing_spring_hour(home_page):
    with time_machine.travel(paris(2027, 3, 1, 10, 0), tick=False):
        event = appointment_event(
            home_page,
            start=paris(2027, 3, 28, 1, 0),
            duration=datetime.timedelta(hours=3),  # 01:00 → 04:00 on the clock
            recurrence="",
            recurrence_count=None,
        )
        day = rules.bookable(event)[0]

    assert [s.local_start.strftime("%H:%M") for s in day.slots] == [
        "01:00",
        "01:30",
        "03:00",
        "03:30",
    ]


# -- Reminder and purge ----------------------------------------------------------------


def test_reminder_the_day_before_is_sent_once(client, event):
    client.post(book_url(event), booking_data(key(FIRST)))
    client.post(
        book_url(event), booking_data(key(SECOND), email="", phone="0612345678")
    )
    mail.outbox.clear()
    with time_machine.travel(paris(2026, 11, 30, 18, 0), tick=False):
        call_command("send_appointment_reminders", verbosity=0)
        call_command("send_appointment_reminders", verbosity=0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Rappel")
    assert "/agenda/rendez-vous/" in mail.outbox[0].body


def test_purge_erases_people_and_keeps_anonymous_counts(client, event):
    client.post(book_url(event), booking_data(key(FIRST), need="photos"))
    client.post(
        book_url(event), booking_data(key(SECOND), email="b@exemple.fr", need="photos")
    )
    appointment = Appointment.objects.get(email="b@exemple.fr")
    rules.record(
        appointment,
        attendance="venu",
        result="oriente",
        referred_to="France Services",
        free_software=True,
    )
    before = rules.yearly_report(2026)
    with time_machine.travel(paris(2027, 1, 15, 3, 0), tick=False):
        call_command("purge_appointments", verbosity=0)
    assert not Appointment.objects.exists()
    assert AppointmentTally.objects.exists()
    assert not AppointmentTally.objects.filter(need="messagerie").exists()
    after = rules.yearly_report(2026)
    assert after["needs"] == before["needs"]
    assert after["needs"]["photos"] == 2
    assert (after["came"], after["free_software_installed"]) == (1, 1)
    assert after["results"]["oriente"] == 1
    assert AppointmentSession.objects.get(occurrence_start=FIRST).purged_at


def test_cancelling_a_date_in_the_event_cancels_its_appointments(client, event):
    client.post(book_url(event), booking_data(key(FIRST)))
    client.post(book_url(event), booking_data(key(paris(2026, 12, 8, 14, 0))))
    mail.outbox.clear()
    page = event.specific
    page.cancellations = [
        EventCancellation(date=datetime.date(2026, 12, 1), reason="Inventaire.")
    ]
    page.save_revision().publish()
    assert Appointment.objects.get(slot_start=FIRST).cancelled_by == "occurrence"
    assert Appointment.objects.booked().count() == 1  # the next week stays
    assert [m.subject[:15] for m in mail.outbox] == ["Séance annulée "]
    assert "Inventaire." in mail.outbox[0].body
    refused = client.post(
        book_url(event), booking_data(key(SECOND), email="z@exemple.fr")
    )
    assert refused.status_code == 410
    assert "Cette séance est annulée. Inventaire." in page_text(refused)
    assert not Appointment.objects.filter(email="z@exemple.fr").exists()

    # The date is back: it takes bookings again.
    page.cancellations = []
    page.save_revision().publish()
    response = client.post(
        book_url(event), booking_data(key(SECOND), email="z@exemple.fr")
    )
    assert response.status_code == 200
    assert Appointment.objects.filter(email="z@exemple.fr").exists()


def test_too_many_requests_for_one_contact_get_a_429(client, event, settings):
    settings.RATE_LIMITS = {"appointment-contact": (2, 3600)}
    for _i in range(2):
        client.post(book_url(event), booking_data(key(FIRST)))
    response = client.post(book_url(event), booking_data(key(SECOND)))
    assert response.status_code == 429
    assert Appointment.objects.count() == 1
    assert len(mail.outbox) == 2  # the booking and one « already »


def test_event_page_free_slots_are_not_served_stale_from_the_page_cache(
    client, event, settings
):
    settings.PORTAL_PAGE_CACHE = True
    first = page_text(client.get(event.url))
    assert "mardi 1 décembre 2026, 14 h 00" in first
    for who in ("a", "b"):
        rules.book(
            event,
            FIRST,
            name=who,
            email=f"{who}@exemple.fr",
            device="autre",
            need="photos",
        )
    again = page_text(client.get(event.url))
    assert "mardi 1 décembre 2026, 14 h 00" not in again


def test_booking_and_manage_pages_cost_the_same_with_many_appointments(
    client, event, django_assert_max_num_queries
):
    client.post(book_url(event), booking_data(key(FIRST)))
    link = manage_path(mail.outbox[0])
    with django_assert_max_num_queries(40) as few_form:
        client.get(book_url(event))
    with django_assert_max_num_queries(40) as few_manage:
        client.get(link)
    form_budget, manage_budget = len(few_form), len(few_manage)
    for occurrence in event.stored_occurrences.all()[:6]:
        for slot_start, _end in rules.slot_bounds(occurrence.start, occurrence.end, 30):
            rules.book(
                event,
                slot_start,
                name="P",
                email=f"p-{slot_start:%m%d%H%M}@exemple.fr",
                device="autre",
                need="photos",
            )
    with django_assert_max_num_queries(form_budget):
        assert client.get(book_url(event)).status_code == 200
    with django_assert_max_num_queries(manage_budget):
        assert client.get(link).status_code == 200
    print(f"booking form: {form_budget} queries, manage page: {manage_budget}")


# -- Where it happens: the venue's closures close the slots ----------------------


def test_the_venues_closure_closes_its_slots(client, event):
    """Issue 24#8: slots were offered while the médiathèque was closed for
    the holidays, the closure being recorded on a room of its venue."""
    from tests.factories.rooms import create_room

    create_room(
        venue=event.venue,
        closures=[
            (
                datetime.date(2026, 12, 24),
                datetime.date(2027, 1, 3),
                "Fermeture de la médiathèque pour les fêtes",
            )
        ],
    )
    closed = paris(2026, 12, 29, 14, 0)
    form = page_text(client.get(book_url(event)))
    assert "mardi 22 décembre 2026" in form
    assert "mardi 29 décembre 2026" not in form
    assert "mardi 5 janvier 2027" in form
    response = client.post(book_url(event), booking_data(key(closed)))
    assert response.status_code == 410
    assert "Le lieu est fermé ce jour-là" in page_text(response)
    assert "Fermeture de la médiathèque pour les fêtes" in page_text(response)
    assert not Appointment.objects.exists()

    # Nor can an appointment be moved into the closure.
    client.post(book_url(event), booking_data(key(FIRST)))
    link = manage_path(mail.outbox[-1])
    moved = client.post(link, {"action": "move", "slot": key(closed)})
    assert moved.status_code == 410
    assert Appointment.objects.get().slot_start == FIRST


def test_slots_follow_their_rooms_closures_whatever_the_attendance_mode(home_page):
    """With a room, only that room's closures close the slots (not those of
    another room of its venue); the slots are held at the place, so they
    close even when the event says it happens online (events.agenda.closures
    leaves an online event open elsewhere)."""
    from events.models import EventPage
    from tests.factories.rooms import create_room

    event = appointment_event(home_page)
    week = datetime.timedelta(days=7)
    own = create_room(venue=event.venue, closures=[(FIRST.date(),) * 2 + ("Travaux",)])
    create_room(
        "Auditorium",
        venue=event.venue,
        closures=[((FIRST + week).date(),) * 2 + ("Concert",)],
    )
    EventPage.objects.filter(pk=event.pk).update(
        room=own, attendance_mode="online", online_url="https://visio.exemple.fr/"
    )
    event.refresh_from_db()
    days = [day.occurrence.start for day in rules.bookable(event)]
    assert FIRST not in days
    assert FIRST + week in days
    with pytest.raises(rules.AppointmentUnavailable, match="Travaux"):
        rules.find_slot(event, key(FIRST))


# -- The slot list says nothing about who has an appointment ---------------------


def _full_slots(client, event):
    return re.findall(
        r'value="([^"]+)" id="creneau-1-\d+" disabled',
        page_text(client.get(book_url(event))),
    )


def test_the_slot_list_does_not_tell_whether_an_address_is_booked(client, home_page):
    """Issue 25#3: posting someone's address left the slot bookable when
    they already had an appointment that day, and made it « complet » when
    they had none."""
    event = appointment_event(home_page, places=1)
    client.post(book_url(event), booking_data(key(FIRST), email="gisele@exemple.fr"))
    mail.outbox.clear()
    third = paris(2026, 12, 1, 15, 0)

    known = client.post(
        book_url(event),
        booking_data(key(SECOND), name="Curieux", email="gisele@exemple.fr"),
    )
    unknown = client.post(
        book_url(event),
        booking_data(key(third), name="Curieux", email="inconnu@exemple.fr"),
    )
    # The same page, and both slots now « complet » alike.
    assert known.status_code == unknown.status_code == 200

    def answer(response):
        text = page_text(response).split("<main", 1)[1]
        for varying in ("gisele", "inconnu", "14 h 30", "15 h 00", "15 h 30"):
            text = text.replace(varying, "")
        return text

    assert answer(known) == answer(unknown)
    assert set(_full_slots(client, event)) == {key(FIRST), key(SECOND), key(third)}

    # Gisèle is told; her appointment did not change; the place is kept for her.
    owner_mail = next(m for m in mail.outbox if m.to == ["gisele@exemple.fr"])
    assert "vous est gardée" in owner_mail.body
    assert "mardi 1 décembre 2026 à 14 h 30" in owner_mail.body
    owner = Appointment.objects.get(email="gisele@exemple.fr", status="booked")
    assert owner.slot_start == FIRST and owner.name != "Curieux"

    # With her link she may take that place; then her old one is free.
    link = manage_path(owner_mail)
    assert f'value="{key(SECOND)}"' in page_text(client.get(link))
    moved = client.post(link, {"action": "move", "slot": key(SECOND)})
    assert moved.status_code == 200, page_text(moved)[:2000]
    owner.refresh_from_db()
    assert owner.slot_start == SECOND
    assert not Appointment.objects.filter(status="held").exists()
    assert set(_full_slots(client, event)) == {key(SECOND), key(third)}


def test_names_as_people_write_them_are_kept(client, event):
    name = "Zoé Lefèvre-N'Diaye « Zaza » \u200fياسمينة"
    response = client.post(book_url(event), booking_data(key(FIRST), name=name))
    assert response.status_code == 200
    assert Appointment.objects.get().name == name
