"""Who sees and edits what in the volunteer admin: contact details only for
`volunteers.view_volunteer_contact`, CLX – Coordination's edits go through
approval, exports neutralise formulas, bad input gets a French message."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import WorkflowContentType, WorkflowState

from tests.factories.volunteers import CharterVersionFactory, VolunteerFactory
from tests.volunteer_helpers import (
    ADD_URL,
    EDIT_URL,
    INSPECT_URL,
    LIST_URL,
    volunteer_form_data,
)
from volunteers.models import CharterSignature, Volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]

EMAIL = "hortense.privee@prive.invalid"
PHONE = "06 98 76 54 32"


@pytest.fixture
def volunteer(home_page):
    return VolunteerFactory(
        display_name="Hortense",
        first_name="Hortense",
        last_name="Confidentielle",
        email=EMAIL,
        phone=PHONE,
    )


@pytest.fixture
def login(client, role_user):
    def as_role(role):
        user = role_user(role)
        client.force_login(user)
        return user

    as_role.roles = role_user.roles
    return as_role


@pytest.fixture
def editor_without_contact(client, django_user_model, home_page):
    """Someone allowed to edit volunteers but not to see contact details: the
    form and inspect view must hide the private fields from them."""
    group = Group.objects.create(name="Éditeurs sans coordonnées")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="volunteers",
            codename__in=["view_volunteer", "change_volunteer", "publish_volunteer"],
        ),
    )
    user = django_user_model.objects.create_user("sans-coordonnees", password="x" * 12)
    user.groups.add(group)
    client.force_login(user)
    return user


def test_contact_permission_has_a_french_name():
    permission = Permission.objects.get(codename="view_volunteer_contact")
    assert permission.name == "Voir les coordonnées des bénévoles"


def test_mediatheque_sees_contact_details(client, login, volunteer):
    login(login.roles.MODERATION)
    edit = client.get(reverse(EDIT_URL, args=[volunteer.pk])).content.decode()
    assert EMAIL in edit and PHONE in edit and "Confidentielle" in edit
    inspect = client.get(reverse(INSPECT_URL, args=[volunteer.pk])).content.decode()
    assert EMAIL in inspect and PHONE in inspect


def test_clx_editors_never_see_contact_details(client, login, volunteer):
    login(login.roles.CLX_EDITORS)
    for url in (
        reverse(LIST_URL),
        reverse(LIST_URL) + "?export=csv",
        reverse(EDIT_URL, args=[volunteer.pk]),
        reverse(INSPECT_URL, args=[volunteer.pk]),
        reverse(
            "wagtailsnippets_volunteers_volunteer:charter_sheet", args=[volunteer.pk]
        ),
        reverse("wagtailsnippetchoosers_volunteers_volunteer:choose") + "?q=Hortense",
        "/admin/",
    ):
        response = client.get(url)
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else (response.content)
        )
        assert EMAIL.encode() not in body, url
        assert PHONE.encode() not in body, url
        assert b"Confidentielle" not in body, url


def test_private_fields_hidden_and_kept_for_editor_without_permission(
    client, editor_without_contact, volunteer
):
    edit = client.get(reverse(EDIT_URL, args=[volunteer.pk]))
    assert edit.status_code == 200
    html = edit.content.decode()
    assert EMAIL not in html and PHONE not in html and "Confidentielle" not in html
    assert 'name="email"' not in html
    inspect = client.get(reverse(INSPECT_URL, args=[volunteer.pk])).content.decode()
    assert EMAIL not in inspect and "Confidentielle" not in inspect

    # Saving the form (which has no private field) keeps the private data.
    data = volunteer_form_data(display_name="Hortense M.", **{"action-publish": "1"})
    for field in ("first_name", "last_name", "email", "phone", "membership_status"):
        data.pop(field)
    response = client.post(reverse(EDIT_URL, args=[volunteer.pk]), data)
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.display_name == "Hortense M."
    assert volunteer.email == EMAIL
    assert volunteer.phone == PHONE

    # A forged POST cannot change them either.
    data["email"] = "pirate@exemple.invalid"
    client.post(reverse(EDIT_URL, args=[volunteer.pk]), data)
    volunteer.refresh_from_db()
    assert volunteer.email == EMAIL


def test_export_hides_contact_columns_without_permission(
    client, editor_without_contact, volunteer
):
    response = client.get(reverse(LIST_URL) + "?export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert "Hortense" in content
    assert EMAIL not in content and PHONE not in content
    assert "Confidentielle" not in content


def test_export_neutralises_formulas(client, login, home_page):
    login(login.roles.MODERATION)
    VolunteerFactory(
        display_name='=HYPERLINK("http://pirate.example")',
        availability="+33 le samedi",
        languages="@SUM(A1)",
        email="formule@prive.invalid",
    )
    response = client.get(reverse(LIST_URL) + "?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, row = rows[0], rows[1]
    assert "E-mail" in header or "e-mail" in [h.lower() for h in header]
    assert row[0].startswith("'=HYPERLINK")
    assert "'+33 le samedi" in row
    assert "'@SUM(A1)" in row
    assert "formule@prive.invalid" in row

    from openpyxl import load_workbook

    response = client.get(reverse(LIST_URL) + "?export=xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [cell.value for cell in list(workbook.active.iter_rows())[1]]
    assert values[0].startswith("'=HYPERLINK")
    assert "'@SUM(A1)" in values


def test_listing_filters_by_charter_status_and_skill(client, login, home_page):
    login(login.roles.MODERATION)
    version = CharterVersionFactory()
    VolunteerFactory(display_name="À jour", signed=version, skills=["Linux"])
    VolunteerFactory(display_name="Sans charte", skills=["Réparation"])
    html = client.get(reverse(LIST_URL) + "?charter_status=current").content.decode()
    assert "À jour" in html and "Sans charte" not in html
    html = client.get(reverse(LIST_URL) + "?charter_status=missing").content.decode()
    assert "Sans charte" in html and "À jour" not in html
    from volunteers.models import Skill

    skill = Skill.objects.get(name="Réparation")
    html = client.get(reverse(LIST_URL) + f"?skill={skill.pk}").content.decode()
    assert "Sans charte" in html and "À jour" not in html
    html = client.get(reverse(LIST_URL) + "?q=jour").content.decode()
    assert "À jour" in html


def test_clx_coordination_edits_go_to_approval(client, login, volunteer):
    if not WorkflowContentType.objects.filter(
        content_type__app_label="volunteers", content_type__model="volunteer"
    ).exists():
        from django.core.management import call_command

        call_command("setup_portal", verbosity=0)
    if not WorkflowContentType.objects.filter(
        content_type__app_label="volunteers"
    ).exists():
        pytest.skip("Le circuit « Validation médiathèque » n'est pas encore en place.")
    volunteer.save_revision().publish()
    login(login.roles.CLX_COORDINATION)
    edit = client.get(reverse(EDIT_URL, args=[volunteer.pk]))
    assert edit.status_code == 200
    assert 'name="action-publish"' not in edit.content.decode()

    data = volunteer_form_data(
        display_name="Hortense (modifié)",
        email=EMAIL,
        phone=PHONE,
        last_name="Confidentielle",
        **{"action-submit": "1"},
    )
    response = client.post(reverse(EDIT_URL, args=[volunteer.pk]), data)

    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(volunteer.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    volunteer.refresh_from_db()
    # Live content is unchanged until the médiathèque approves.
    assert volunteer.display_name == "Hortense"
    assert volunteer.has_unpublished_changes


def test_clx_coordination_can_add_a_volunteer(client, login, home_page):
    login(login.roles.CLX_COORDINATION)
    response = client.post(reverse(ADD_URL), volunteer_form_data())
    assert response.status_code == 302
    assert Volunteer.objects.filter(display_name="Camille").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "Numéro de téléphone non reconnu"),
        ("phone", "+44 20 7946 0958", "Numéro de téléphone non reconnu"),
        ("email", "pas-une-adresse", "Saisissez une adresse e-mail valide"),
        ("bio", "x" * 601, "au plus 600 caractères"),
        ("display_name", "x" * 101, "au plus 100 caractères"),
        ("photo", "999999", "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_gets_a_french_message_and_keeps_the_rest(
    client, login, home_page, field, value, message
):
    login(login.roles.MODERATION)
    response = client.post(
        reverse(ADD_URL), volunteer_form_data(languages="breton", **{field: value})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="breton"' in html
    assert not Volunteer.objects.exists()


@pytest.mark.parametrize(
    "phone", ["0612345678", "06.12.34.56.78", "+33 6 12 34 56 78", "0033612345678"]
)
def test_french_phone_formats_are_accepted_and_normalised(
    client, login, home_page, phone
):
    login(login.roles.MODERATION)
    response = client.post(reverse(ADD_URL), volunteer_form_data(phone=phone))
    assert response.status_code == 302
    assert Volunteer.objects.get().phone == "06 12 34 56 78"


def test_photo_that_is_not_an_image_is_refused_in_french(client, login, home_page):
    login(login.roles.MODERATION)
    response = client.post(
        reverse("wagtailimages_chooser:create"),
        {
            "image-chooser-upload-title": "Photo",
            "image-chooser-upload-file": SimpleUploadedFile(
                "photo.jpg", b"ceci n'est pas une image", content_type="image/jpeg"
            ),
        },
    )
    assert response.status_code == 200
    text = response.json()["htmlFragment"]
    assert "pas une image" in text or "image non support" in text, text
    from wagtail.images.models import Image

    assert not Image.objects.exists()


def test_signature_on_unknown_or_unpublished_version_is_refused(
    client, login, volunteer
):
    login(login.roles.MODERATION)
    draft = CharterVersionFactory(published=False)
    url = reverse("wagtailsnippets_volunteers_chartersignature:add")
    for version in ("424242", str(draft.pk)):
        response = client.post(
            url,
            {
                "volunteer": str(volunteer.pk),
                "version": version,
                "signed_on": "2026-02-01",
                "countersigned_on": "2026-02-02",
                "countersigned_by": "",
            },
        )
        assert response.status_code == 200
        assert "Cette version de la charte n&#x27;existe pas" in (
            response.content.decode()
        )
    assert not CharterSignature.objects.exists()


def test_countersignature_before_signature_is_refused(client, login, volunteer):
    login(login.roles.MODERATION)
    version = CharterVersionFactory()
    response = client.post(
        reverse("wagtailsnippets_volunteers_chartersignature:add"),
        {
            "volunteer": str(volunteer.pk),
            "version": str(version.pk),
            "signed_on": "2026-02-05",
            "countersigned_on": "2026-02-01",
        },
    )
    assert response.status_code == 200
    assert "ne peut pas contresigner avant le bénévole" in response.content.decode()


def test_dashboard_shows_who_must_sign_to_the_mediatheque(client, login, home_page):
    old = CharterVersionFactory(effective_date=datetime.date(2025, 1, 1))
    CharterVersionFactory(label="Charte 2026", effective_date=datetime.date(2026, 1, 1))
    VolunteerFactory(display_name="Renouvelle-moi", signed=old)
    VolunteerFactory(display_name="Jamais-signé")
    VolunteerFactory(display_name="Parti", active=False)

    login(login.roles.MODERATION)
    html = client.get("/admin/").content.decode()
    assert "Charte des bénévoles : qui doit signer" in html
    renew = html.index("À renouveler")
    missing = html.index("Charte manquante")
    assert renew < html.index("Renouvelle-moi") < missing < html.index("Jamais-signé")
    assert "Parti" not in html[renew:]
    assert "fiche à imprimer" in html

    login(login.roles.CLX_EDITORS)
    assert "qui doit signer" not in client.get("/admin/").content.decode()


def test_printable_charter_sheet_is_prefilled(client, login, volunteer):
    CharterVersionFactory(
        label="Charte du bénévole dédié au numérique – 2026",
        text="<p>Accueillir chacun avec bienveillance.</p>",
    )
    user = login(login.roles.MODERATION)
    response = client.get(
        reverse(
            "wagtailsnippets_volunteers_volunteer:charter_sheet", args=[volunteer.pk]
        )
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Charte du bénévole dédié au numérique – 2026" in html
    assert "CONFIDENTIELLE Hortense" in html
    assert "Accueillir chacun avec bienveillance." in html
    assert "charter-sheet.css" in html
    assert "Pour la médiathèque de Wimille" in html
    assert user.username  # the sheet is reached from the inspect view:
    inspect = client.get(reverse(INSPECT_URL, args=[volunteer.pk])).content.decode()
    assert (
        reverse(
            "wagtailsnippets_volunteers_volunteer:charter_sheet", args=[volunteer.pk]
        )
        in inspect
    )


def test_revision_comparison_hides_contact_details_without_permission(
    client, editor_without_contact, volunteer
):
    first = volunteer.save_revision()
    volunteer.email = "nouvelle.adresse@prive.invalid"
    volunteer.phone = "07 11 11 11 11"
    second = volunteer.save_revision()
    url = reverse(
        "wagtailsnippets_volunteers_volunteer:revisions_compare",
        args=[volunteer.pk, first.pk, second.pk],
    )
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for secret in (EMAIL, "nouvelle.adresse", "07 11 11 11 11", "Confidentielle"):
        assert secret not in html, secret
