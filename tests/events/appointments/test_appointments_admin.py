"""Appointments in the admin, as each role sees them: the day's list, the
printable day sheet where volunteers record presence and outcome, the
volunteers on duty per date, the anonymous yearly report; facilitators see
only the events they lead."""

import csv
import io
import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from events.appointments import rules
from events.models import Appointment, AppointmentSession
from portal import roles
from tests.factories.appointments import appointment_event, book_url, booking_data, key
from tests.factories.events import paris
from tests.factories.volunteers import VolunteerFactory
from tests.pages import text

pytestmark = pytest.mark.django_db

NOW = paris(2026, 11, 20, 10, 0)
FIRST = paris(2026, 12, 1, 14, 0)
DAY_URL = reverse("appointments:day") + "?jour=2026-12-01"
REPORT_URL = reverse("appointment_report:index") + "?annee=2026"


def words(response):
    """The page's text without its tags."""
    return re.sub(
        r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    )


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def facilitator(db):
    return VolunteerFactory(email="claude.benevole@exemple.fr")


@pytest.fixture
def event(home_page, facilitator):
    return appointment_event(home_page, facilitators=[facilitator])


@pytest.fixture
def booked(client, event):
    client.post(book_url(event), booking_data(key(FIRST), name="Gisèle Fournier"))
    client.post(
        book_url(event),
        booking_data(
            key(paris(2026, 12, 1, 15, 0)),
            name='=HYPERLINK("http://pirate.invalid")',
            email="",
            phone="0612345678",
            need="photos",
        ),
    )
    return list(Appointment.objects.order_by("slot_start"))


def sheet_url(event):
    return reverse("appointments:sheet", args=[event.pk, "2026-12-01T14:00"])


def _outcome(appointment, **values):
    prefix = f"a{appointment.pk}-"
    data = {
        "attendance": "",
        "result": "",
        "referred_to": "",
        "notes": "",
    }
    data.update(values)
    return {prefix + name: value for name, value in data.items() if value is not False}


def test_anonymous_is_sent_to_login(client, event):
    for url in (DAY_URL, sheet_url(event), REPORT_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_staff_see_the_day_print_it_and_record_outcomes(
    client, role_user, event, booked
):
    client.force_login(role_user(roles.MEDIATHEQUE_EDITORS))
    day = client.get(DAY_URL)
    assert day.status_code == 200
    assert "Assistance informatique" in text(day)
    assert "2 / 8" in text(day)  # 4 slots × 2 volunteers

    sheet = client.get(sheet_url(event))
    page = text(sheet)
    assert sheet.status_code == 200
    assert "Gisèle Fournier" in page and "06 12 34 56 78" not in page
    assert "0612345678" in page
    assert "Un ordinateur (portable ou fixe) (Windows 10)" in page
    assert "Imprimer" in page and "libre" in page

    first, second = booked
    data = {"action": "record"}
    data |= _outcome(
        first,
        attendance="venu",
        result="oriente",
        referred_to="France Services",
        free_software_installed="on",
        notes="Messagerie configurée ; revoir la sauvegarde.",
    )
    data |= _outcome(second, attendance="absent")
    response = client.post(sheet_url(event), data)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attendance, first.result, first.referred_to) == (
        "venu",
        "oriente",
        "France Services",
    )
    assert first.free_software_installed and not first.computer_restored
    assert second.attendance == "absent" and second.result == ""


def test_referred_needs_to_whom(client, role_user, event, booked):
    client.force_login(role_user(roles.MEDIATHEQUE_EDITORS))
    data = {"action": "record"} | _outcome(
        booked[0], attendance="venu", result="oriente"
    )
    data |= _outcome(booked[1])
    response = client.post(sheet_url(event), data)
    assert response.status_code == 200
    assert "Indiquez vers qui la personne a été orientée." in text(response)
    booked[0].refresh_from_db()
    assert booked[0].attendance == ""


def test_staff_set_the_volunteers_on_duty_for_one_date(client, role_user, event):
    client.force_login(role_user(roles.MEDIATHEQUE_EDITORS))
    response = client.post(sheet_url(event), {"action": "places", "places": "3"})
    assert response.status_code == 302
    assert AppointmentSession.objects.get(occurrence_start=FIRST).places == 3
    assert rules.bookable(event)[0].slots[0].places == 3
    assert rules.bookable(event)[1].slots[0].places == 2


def _link(client, role_user, volunteer, user):
    """Moderation links the account to the volunteer, in the admin."""
    client.force_login(role_user(roles.MODERATION, username="marc"))
    response = client.post(
        reverse("wagtailsnippets_volunteers_volunteeraccount:add"),
        {"volunteer": volunteer.pk, "user": user.pk},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 302
    client.logout()


def test_facilitator_sees_and_records_only_their_events(
    client, role_user, event, booked, home_page, facilitator
):
    other = appointment_event(home_page, title="Autre permanence", slug="autre")
    user = role_user(roles.CLX_EDITORS)
    _link(client, role_user, facilitator, user)
    client.force_login(user)
    day = text(client.get(DAY_URL))
    assert "Assistance informatique" in day and "Autre permanence" not in day
    assert client.get(sheet_url(event)).status_code == 200
    assert client.get(sheet_url(other)).status_code == 404
    data = {"action": "record"} | _outcome(
        booked[0], attendance="venu", result="resolu"
    )
    data |= _outcome(booked[1])
    assert client.post(sheet_url(event), data).status_code == 302
    booked[0].refresh_from_db()
    assert booked[0].result == "resolu"
    # Setting the volunteers on duty and the report are the médiathèque's.
    # (Wagtail turns the refusal into a redirect to the dashboard.)
    refused = client.post(sheet_url(event), {"action": "places", "places": "5"})
    assert refused.status_code in (302, 403)
    assert refused.get("Location", "/admin/") == "/admin/"
    assert not AppointmentSession.objects.filter(places=5).exists()
    assert client.get(REPORT_URL).status_code in (302, 403)


def test_clx_account_that_facilitates_nothing_sees_nothing(
    client, role_user, event, booked
):
    client.force_login(role_user(roles.CLX_EDITORS))
    assert "Assistance informatique" not in text(client.get(DAY_URL))
    assert client.get(sheet_url(event)).status_code == 404


def test_an_account_cannot_make_itself_a_facilitator_by_its_email(
    client, role_user, event, booked, facilitator
):
    """Issue 25#1: a CLX account set its own e-mail to a facilitator's
    address in « Mon compte » and then read and wrote the day sheet."""
    user = role_user(roles.CLX_EDITORS, username="clx-redaction")
    client.force_login(user)
    account = client.get(reverse("wagtailadmin_account"))
    assert account.status_code == 200
    assert "id_name_email-email" not in account.content.decode()
    client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": "Claude",
            "name_email-last_name": "Contributeur",
            "name_email-email": "claude.benevole@exemple.fr",
            "locale-preferred_language": "fr",
        },
        HTTP_ORIGIN="http://testserver",
    )
    user.refresh_from_db()
    assert user.email != "claude.benevole@exemple.fr"
    # Even with the very address (set by someone else), no link, no sheet.
    user.email = "Claude.Benevole@exemple.fr"
    user.save()
    assert "Assistance informatique" not in text(client.get(DAY_URL))
    assert client.get(sheet_url(event)).status_code == 404
    data = {"action": "record"} | _outcome(booked[0], notes="Écrit par un intrus")
    data |= _outcome(booked[1])
    assert client.post(sheet_url(event), data).status_code == 404
    booked[0].refresh_from_db()
    assert booked[0].notes == ""


def test_clx_coordination_cannot_link_an_account_to_a_volunteer(
    client, role_user, event, booked, facilitator
):
    """The coordinators edit volunteers' entries, never who facilitates."""
    user = role_user(roles.CLX_COORDINATION, username="camille")
    client.force_login(user)
    add = reverse("wagtailsnippets_volunteers_volunteeraccount:add")
    response = client.post(
        add,
        {"volunteer": facilitator.pk, "user": user.pk},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code in (302, 403)
    assert response.get("Location", "/admin/") == "/admin/"
    assert client.get(sheet_url(event)).status_code == 404
    edit = client.get(
        reverse("wagtailsnippets_volunteers_volunteer:edit", args=[facilitator.pk])
    )
    assert edit.status_code == 200
    assert 'name="user"' not in edit.content.decode()


def test_an_inactive_volunteer_account_sees_nothing(
    client, role_user, event, booked, facilitator
):
    user = role_user(roles.CLX_EDITORS)
    _link(client, role_user, facilitator, user)
    facilitator.active = False
    facilitator.save()
    client.force_login(user)
    assert client.get(sheet_url(event)).status_code == 404


def test_yearly_report_counts_needs_and_outcomes_without_names(
    client, role_user, event, booked
):
    rules.record(booked[0], attendance="venu", result="resolu", computer_restored=True)
    client.force_login(role_user(roles.MEDIATHEQUE_EDITORS))
    response = client.get(REPORT_URL)
    page = words(response)
    assert response.status_code == 200
    assert "Gisèle" not in page and "HYPERLINK" not in page
    assert "La messagerie (e-mails) 1" in page
    assert "Les photos 1" in page
    assert "Ordinateur remis en service 1" in page

    export = client.get(REPORT_URL + "&format=csv")
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert ["Besoin", "Les photos", "2"] not in rows
    assert ["Besoin", "Les photos", "1"] in rows
    assert ["Résultat", "résolu", "1"] in rows
    assert all(
        not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row
    )


def test_staff_cancel_an_appointment_for_someone_who_called(
    client, role_user, event, booked, mailoutbox, facilitator
):
    first, second = booked
    url = reverse("appointments:cancel", args=[second.pk])
    user = role_user(roles.CLX_EDITORS)
    _link(client, role_user, facilitator, user)
    client.force_login(user)  # a facilitator records, but does not cancel
    assert client.post(url).status_code in (302, 403)
    second.refresh_from_db()
    assert second.is_booked

    client.force_login(role_user(roles.MEDIATHEQUE_EDITORS, username="rose"))
    assert "Annuler le rendez-vous de Gisèle Fournier" in text(
        client.get(sheet_url(event))
    )
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "prévenez-la par téléphone" in text(confirm)
    mailoutbox.clear()
    assert client.post(url).status_code == 302
    second.refresh_from_db()
    assert second.is_cancelled and second.cancelled_by == "staff"
    assert mailoutbox == []  # phone only
    client.post(reverse("appointments:cancel", args=[first.pk]))
    assert mailoutbox[0].subject.startswith("Rendez-vous annulé")


def test_staff_erase_an_appointment_on_request_and_the_count_stays(
    client, role_user, event, booked
):
    first, _second = booked
    before = rules.yearly_report(2026)
    url = reverse("appointments:erase", args=[first.pk])
    client.force_login(role_user(roles.CLX_EDITORS))
    assert client.post(url).status_code in (302, 403)
    assert Appointment.objects.filter(pk=first.pk).exists()

    client.force_login(role_user(roles.MEDIATHEQUE_EDITORS, username="rose"))
    assert "Effacer les données de Gisèle Fournier" in text(
        client.get(sheet_url(event))
    )
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Appointment.objects.filter(pk=first.pk).exists()
    assert not Appointment.objects.filter(name="Gisèle Fournier").exists()
    assert rules.yearly_report(2026)["needs"] == before["needs"]


def test_an_event_with_appointments_must_say_where_it_happens(client, role_user, event):
    from tests.admin_forms import admin_edit_page, messages_of

    client.force_login(role_user(roles.MODERATION, username="marc"))
    response = admin_edit_page(client, event, {"venue": ""}, action="publish")
    assert response.status_code == 200
    assert "Indiquez le lieu des rendez-vous" in " ".join(messages_of(response))
    event.refresh_from_db()
    assert event.venue_id is not None


def test_the_menu_opens_on_the_next_session_and_the_dashboard_lists_them(
    client, role_user, event, booked, facilitator
):
    """The « Rendez-vous » menu opened on an empty today (20 November)."""
    client.force_login(role_user(roles.MEDIATHEQUE_EDITORS))
    day = text(client.get(reverse("appointments:day")))
    assert "Rendez-vous du 01/12/2026" in day or "1 décembre" in day
    assert "Voir, imprimer et noter le suivi" in day
    assert "Prochaine séance : Assistance informatique, mardi 8 décembre 2026" in day
    empty = text(client.get(reverse("appointments:day") + "?jour=2026-11-25"))
    assert "Aucune séance sur rendez-vous ce jour-là." in empty
    assert "Prochaine séance : Assistance informatique, mardi 1 décembre 2026" in empty

    from tests.factories.rooms import create_room

    create_room(
        venue=event.venue,
        closures=[(FIRST.date().replace(day=15),) * 2 + ("Inventaire",)],
    )
    home = words(client.get(reverse("wagtailadmin_home")))
    assert "Prochaines séances sur rendez-vous" in home
    assert "mar 1 décembre, 14 h 00 Assistance informatique 2" in home
    assert "Assistance informatique 0 – lieu fermé (Inventaire)" in home

    # A facilitator sees the sessions they lead; another CLX account none.
    clx = role_user(roles.CLX_EDITORS)
    client.force_login(clx)
    assert "Prochaines séances sur rendez-vous" not in words(
        client.get(reverse("wagtailadmin_home"))
    )
    _link(client, role_user, facilitator, clx)
    client.force_login(clx)
    assert "Prochaines séances sur rendez-vous" in words(
        client.get(reverse("wagtailadmin_home"))
    )


def test_the_sheet_shows_places_held_for_someone_already_booked(
    client, role_user, event, booked
):
    client.post(
        book_url(event),
        booking_data(key(paris(2026, 12, 1, 15, 30)), email="camille@exemple.fr"),
    )
    client.force_login(role_user(roles.MEDIATHEQUE_EDITORS))
    sheet = text(client.get(sheet_url(event)))
    assert "1 place gardée pour une personne qui a déjà un rendez-vous" in sheet
    assert "2 / 8" in text(client.get(DAY_URL))  # appointments, not held places
