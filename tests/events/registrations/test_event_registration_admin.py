"""Registrations in the admin, as each role sees them: per-occurrence list
and counts, CSV export with formulas neutralised, attendance sheet, closing
registration; personal data for the médiathèque's staff only."""

import csv
import io
import re

import pytest
from django.utils import timezone

from events.models import Registration, RegistrationList
from portal import roles
from tests.pages import text
from tests.registration_helpers import form_url, post_registration

pytestmark = pytest.mark.django_db

EVIL_NAME = '=HYPERLINK("http://pirate.invalid","Cliquez")'


@pytest.fixture
def filled(client, event):
    """Four registrations on the first occurrence, one with a formula as name,
    one on the waiting list, one cancelled."""
    occurrence = event.occurrences(start=timezone.now())[0]
    post_registration(client, event, occurrence, name=EVIL_NAME, seats="3")
    post_registration(
        client,
        event,
        occurrence,
        name="Louis Petit",
        email="louis@exemple.fr",
        phone="+33 6 00 00 00 00",
        seats="2",
    )
    post_registration(
        client, event, occurrence, name="@Attente", email="attente@exemple.fr"
    )
    post_registration(client, event, occurrence, name="Annie", email="annie@exemple.fr")
    Registration.objects.filter(email="annie@exemple.fr").update(status="cancelled")
    return RegistrationList.objects.get(event=event)


def staff(client, role_user, role=roles.MEDIATHEQUE_EDITORS):
    user = role_user(role)
    client.force_login(user)
    return user


def urls(registration_list):
    pk = registration_list.pk
    registration = Registration.objects.filter(status="confirmed").first()
    return {
        "index": "/admin/inscriptions/personnes/",
        "inspect": f"/admin/inscriptions/personnes/inspect/{registration.pk}/",
        "occurrences": "/admin/inscriptions/seances/",
        "occurrence": f"/admin/inscriptions/seance/{pk}/",
        "export": f"/admin/inscriptions/seance/{pk}/export.csv",
        "sheet": f"/admin/inscriptions/seance/{pk}/emargement/",
        "close": f"/admin/inscriptions/seance/{pk}/fermer/",
        "index_csv": "/admin/inscriptions/personnes/?export=csv",
    }


def test_mediatheque_staff_see_the_occurrence_with_its_counts(
    client, role_user, filled
):
    staff(client, role_user)
    page = urls(filled)
    response = client.get(page["occurrences"])
    assert response.status_code == 200
    html = text(response)
    assert "Petit déj' du libre" in html
    response = client.get(page["occurrence"])
    assert response.status_code == 200
    html = text(response)
    assert "Louis Petit" in html and "louis@exemple.fr" in html
    assert "Confirmées (2)" in html
    assert "Liste d'attente (1)" in html
    assert "Annulées (1)" in html
    # capacity 5, confirmed seats 5, free 0, waiting 1, cancelled 1
    assert re.search(
        r"<td>5</td> <td>5 .*?</td> <td>0</td> <td>1</td> <td>1</td>", html
    )
    assert client.get(page["index"]).status_code == 200
    assert "Louis Petit" in text(client.get(page["index"]))
    assert client.get(page["inspect"]).status_code == 200


def test_registrations_cannot_be_added_or_edited_by_hand(client, role_user, filled):
    staff(client, role_user, roles.ADMINISTRATION)
    registration = Registration.objects.first()
    assert client.get("/admin/inscriptions/personnes/new/").status_code == 404
    edit = f"/admin/inscriptions/personnes/edit/{registration.pk}/"
    assert client.get(edit).status_code == 404
    assert "/admin/inscriptions/personnes/new/" not in text(
        client.get("/admin/inscriptions/personnes/")
    )


def test_csv_export_neutralises_formulas(client, role_user, filled):
    staff(client, role_user)
    response = client.get(urls(filled)["export"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:3] == ["Nom", "E-mail", "Téléphone"]
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + EVIL_NAME in cells
    assert "'+33 6 00 00 00 00" in cells
    assert "'@Attente" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_admin_listing_export_neutralises_formulas_too(client, role_user, filled):
    staff(client, role_user)
    response = client.get(urls(filled)["index_csv"])
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
    assert "'" + EVIL_NAME in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_admin_listing_xlsx_export_holds_no_formula(client, role_user, filled):
    from openpyxl import load_workbook

    staff(client, role_user)
    response = client.get("/admin/inscriptions/personnes/?export=xlsx")
    assert response.status_code == 200
    content = (
        b"".join(response.streaming_content)
        if response.streaming
        else (response.content)
    )
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert "'" + EVIL_NAME in [cell.value for cell in cells]
    # openpyxl marks a cell whose text starts with « = » as a formula.
    assert not any(cell.data_type == "f" for cell in cells)


def test_attendance_sheet_prints_and_records_who_came(client, role_user, filled):
    staff(client, role_user)
    page = urls(filled)
    response = client.get(page["sheet"])
    assert response.status_code == 200
    html = text(response)
    assert "Feuille d'émargement" in html
    assert "events/css/attendance.css" in html
    assert "Louis Petit" in html and "@Attente" not in html  # confirmed only
    louis = Registration.objects.get(email="louis@exemple.fr")
    response = client.post(page["sheet"], {"present": [str(louis.pk)]}, follow=True)
    assert response.status_code == 200
    assert "1 personne(s) présente(s)" in text(response)
    assert list(Registration.objects.filter(attended=True)) == [louis]
    # Unticking is saved as well.
    client.post(page["sheet"], {})
    assert not Registration.objects.filter(attended=True).exists()


def test_closing_an_occurrence_stops_registration(client, role_user, event, filled):
    staff(client, role_user)
    page = urls(filled)
    assert "Fermer les inscriptions" in text(client.get(page["close"]))
    response = client.post(page["close"], follow=True)
    assert response.status_code == 200
    assert "sont fermées" in text(response)
    client.logout()
    occurrence = event.occurrences(start=timezone.now())[0]
    response = post_registration(client, event, occurrence, email="tard@exemple.fr")
    assert response.status_code == 403
    assert "fermées par l'équipe" in text(response)
    assert client.get(form_url(event, occurrence)).status_code == 403
    assert not Registration.objects.filter(email="tard@exemple.fr").exists()


@pytest.mark.parametrize("role", [roles.CLX_EDITORS, roles.CLX_COORDINATION])
def test_clx_roles_never_see_personal_data(client, role_user, filled, role):
    staff(client, role_user, role)
    for name, url in urls(filled).items():
        response = client.get(url)
        assert response.status_code in (302, 403), name
        body = response.content if not response.streaming else b""
        assert b"louis@exemple.fr" not in body
    assert client.post(urls(filled)["close"]).status_code in (302, 403)
    assert not RegistrationList.objects.filter(closed_at__isnull=False).exists()
    menu = text(client.get("/admin/"))
    assert "/admin/inscriptions/" not in menu


def test_anonymous_visitors_are_sent_to_the_login(client, filled):
    for url in urls(filled).values():
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_viewing_without_export_permission_cannot_export(
    client, django_user_model, filled
):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("lecture", password="x" * 12)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_registration"),
    )
    client.force_login(user)
    page = urls(filled)
    assert client.get(page["occurrence"]).status_code == 200
    assert "Exporter (CSV)" not in text(client.get(page["occurrence"]))
    # Wagtail answers a refusal in the admin by a redirect to its home page.
    for name in ("export", "sheet", "index_csv"):
        response = client.get(page[name])
        assert response.status_code in (302, 403), name
        assert "Content-Disposition" not in response.headers
    assert client.post(page["close"]).status_code in (302, 403)
    assert not RegistrationList.objects.filter(closed_at__isnull=False).exists()


def test_raising_the_capacity_lets_staff_serve_the_waiting_list(
    client, role_user, event, filled, mailoutbox
):
    staff(client, role_user)
    event.capacity = 7
    event.save_revision().publish()
    page = f"/admin/inscriptions/seance/{filled.pk}/"
    assert "Confirmer la liste d'attente" in text(client.get(page))
    mailoutbox.clear()
    response = client.post(page + "liste-attente/", follow=True)
    assert "1 personne(s) de la liste d'attente confirmée(s)" in text(response)
    assert [m.to for m in mailoutbox] == [["attente@exemple.fr"]]
    assert Registration.objects.get(email="attente@exemple.fr").status == "confirmed"
