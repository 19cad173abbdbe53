"""Who gets a badge: learners' requests, staff decisions (only with
`resources.award_badge`), awarding one person, a CSV file (all or nothing,
with line numbers) from the admin and from `manage.py award_badges`, the
people present at a workshop, revocation, erasure, and the image checks of
badge classes."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from resources.models import BadgeAssertion, BadgeClass, BadgeRequest
from tests.factories.badges import (
    award,
    create_badge_class,
    create_path,
    path_index,
    wagtail_image,
)
from tests.pages import described_by

pytestmark = pytest.mark.django_db

GOOD_CSV = "nom,email\nLéa Martin,lea@exemple.fr\nKarim Benali,karim@exemple.fr\n"


def staff(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@mediatheque.fr", password="x" * 12
    )
    perms = [("wagtailadmin", "access_admin")] + [
        ("resources", codename) for codename in codenames
    ]
    for app_label, codename in perms:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def awarder(django_user_model):
    return staff(
        django_user_model,
        "bibliothecaire",
        "award_badge",
        "view_badgerequest",
        "change_badgerequest",
        "view_badgeassertion",
    )


@pytest.fixture
def viewer(django_user_model):
    # Sees requests (e.g. a CLX coordinator) but may not decide.
    return staff(django_user_model, "benevole", "view_badgerequest")


@pytest.fixture
def badge(home_page):
    badge = create_badge_class(slug="premiers-pas", name="Premiers pas")
    create_path(path_index(home_page), title="Premiers pas", badge_class=badge)
    return badge


def request_data(**overrides):
    data = {
        "name": "Léa Martin",
        "email": "lea@exemple.fr",
        "evidence_text": "J'ai écrit une lettre avec LibreOffice.",
        "evidence_url": "",
        "consent": "on",
        "show_name": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Learner's request ------------------------------------------------------


def test_path_page_leads_to_the_request_form(client, badge):
    html = client.get("/parcours/").content.decode()
    assert "Premiers pas" in html
    path_url = "/parcours/" + badge.learning_paths.get().slug + "/"
    html = client.get(path_url).content.decode()
    assert 'href="/badges/premiers-pas/demande/"' in html


def test_request_without_consent_is_refused_in_french(client, badge):
    response = client.post("/badges/premiers-pas/demande/", request_data(consent=None))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sans votre accord, nous ne pouvons pas traiter votre demande" in html
    assert BadgeRequest.objects.count() == 0
    assert mail.outbox == []


def test_request_needs_evidence_and_a_valid_email(client, badge):
    response = client.post(
        "/badges/premiers-pas/demande/",
        request_data(evidence_text="", email="pas-une-adresse"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Décrivez ce que vous avez fait ou donnez un lien." in html
    assert "Saisissez une adresse e-mail valide" in html
    assert BadgeRequest.objects.count() == 0


def test_a_megabyte_of_evidence_is_refused_in_french(client, badge, awarder):
    response = client.post(
        "/badges/premiers-pas/demande/", request_data(evidence_text="x" * 5001)
    )
    assert response.status_code == 400
    assert "au plus 5000 caractères" in response.content.decode()
    assert BadgeRequest.objects.count() == 0 and not mail.outbox
    response = client.post(
        "/badges/premiers-pas/demande/", request_data(evidence_text="x" * 5000)
    )
    assert response.status_code == 302


def test_request_errors_are_read_with_their_field(client, badge):
    response = client.post(
        "/badges/premiers-pas/demande/", request_data(email="pas-une-adresse")
    )
    assert response.status_code == 400
    read = described_by(response, "email")
    assert "Saisissez une adresse e-mail valide" in read["id_email-erreurs"]
    assert read["id_email_helptext"] == (
        "Le badge est rattaché à cette adresse ; elle n'est jamais publiée."
    )
    assert 'aria-invalid="true"' in response.content.decode()


def test_request_is_stored_and_staff_told(client, badge, awarder):
    response = client.post("/badges/premiers-pas/demande/", request_data())
    assert response.status_code == 302
    assert response["Location"] == "/badges/premiers-pas/demande/envoyee/"
    assert "bien été reçue" in client.get(response["Location"]).content.decode()
    badge_request = BadgeRequest.objects.get()
    assert badge_request.status == BadgeRequest.Status.PENDING
    assert badge_request.show_name is True
    assert badge_request.learning_path.title == "Premiers pas"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bibliothecaire@mediatheque.fr"]
    assert "Léa Martin demande le badge « Premiers pas »" in mail.outbox[0].body
    assert f"/admin/badges/demandes/inspect/{badge_request.pk}/" in mail.outbox[0].body


# --- Staff decisions -------------------------------------------------------


@pytest.fixture
def pending(client, badge):
    client.post("/badges/premiers-pas/demande/", request_data())
    mail.outbox.clear()
    return BadgeRequest.objects.get()


def test_only_award_badge_holders_approve(client, pending, viewer):
    client.force_login(viewer)
    url = f"/admin/badges/decerner/demandes/{pending.pk}/approuver/"
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    assert client.get(url).status_code in (302, 403)
    assert client.post(url).status_code in (302, 403)
    pending.refresh_from_db()
    assert pending.status == BadgeRequest.Status.PENDING
    assert BadgeAssertion.objects.count() == 0
    # The viewer sees the request, without the buttons to decide.
    html = client.get(f"/admin/badges/demandes/inspect/{pending.pk}/").content.decode()
    assert "Léa Martin" in html
    assert "approuver" not in html


def test_approving_issues_the_badge_and_mails_the_learner(client, pending, awarder):
    client.force_login(awarder)
    html = client.get(f"/admin/badges/demandes/inspect/{pending.pk}/").content.decode()
    assert f"/admin/badges/decerner/demandes/{pending.pk}/approuver/" in html
    response = client.post(f"/admin/badges/decerner/demandes/{pending.pk}/approuver/")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == BadgeRequest.Status.APPROVED
    assertion = pending.assertion
    assert assertion.recipient_email == "lea@exemple.fr"
    assert assertion.show_name is True
    assert assertion.awarded_by == awarder
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lea@exemple.fr"]
    assert f"/badges/assertions/{assertion.uid}/verifier" in mail.outbox[0].body
    assert f"/badges/assertions/{assertion.uid}/badge.png" in mail.outbox[0].body
    # Approving twice does not award twice.
    client.post(f"/admin/badges/decerner/demandes/{pending.pk}/approuver/")
    assert BadgeAssertion.objects.count() == 1


def test_declining_mails_the_message(client, pending, awarder):
    client.force_login(awarder)
    url = f"/admin/badges/decerner/demandes/{pending.pk}/refuser/"
    response = client.post(url, {"message": ""})
    assert response.status_code == 200  # the message is required
    response = client.post(url, {"message": "Il manque la photo de votre lettre."})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == BadgeRequest.Status.DECLINED
    assert BadgeAssertion.objects.count() == 0
    assert mail.outbox[0].to == ["lea@exemple.fr"]
    assert "Il manque la photo de votre lettre." in mail.outbox[0].body


def test_award_one_person_from_the_admin(client, badge, awarder, viewer):
    data = {
        "badge_class": badge.pk,
        "name": "Karim Benali",
        "email": "karim@exemple.fr",
        "evidence_narrative": "A suivi l'atelier.",
        "evidence_url": "",
    }
    client.force_login(viewer)
    assert client.post("/admin/badges/decerner/", data).status_code in (302, 403)
    assert BadgeAssertion.objects.count() == 0
    client.force_login(awarder)
    response = client.post("/admin/badges/decerner/", data)
    assert response.status_code == 302
    assertion = BadgeAssertion.objects.get()
    assert assertion.source == BadgeAssertion.Source.ADMIN
    assert assertion.show_name is False
    assert mail.outbox[0].to == ["karim@exemple.fr"]
    # The same person twice: refused next to the field, nothing issued.
    response = client.post("/admin/badges/decerner/", data)
    assert response.status_code == 200
    assert "karim@exemple.fr a déjà le badge « Premiers pas »" in (
        response.content.decode()
    )
    assert BadgeAssertion.objects.count() == 1


def test_revoke_from_the_admin(client, badge, awarder):
    assertion = award(badge)
    client.force_login(awarder)
    url = f"/admin/badges/decerner/decernes/{assertion.pk}/revoquer/"
    response = client.post(url, {"reason": "Décerné par erreur."})
    assert response.status_code == 302
    assert client.get(f"/badges/assertions/{assertion.uid}").status_code == 410


def test_assertions_are_read_only_in_the_admin(client, badge, awarder):
    assertion = award(badge)
    client.force_login(awarder)
    listing = client.get("/admin/badges/decernes/")
    assert listing.status_code == 200
    assert "Importer un CSV" in listing.content.decode()
    assert (
        client.get(f"/admin/badges/decernes/inspect/{assertion.pk}/").status_code == 200
    )
    assert client.get(f"/admin/badges/decernes/edit/{assertion.pk}/").status_code in (
        302,
        403,
        404,
    )
    assert client.get(f"/admin/badges/decernes/delete/{assertion.pk}/").status_code in (
        302,
        403,
        404,
    )
    assert BadgeAssertion.objects.filter(pk=assertion.pk).exists()


# --- CSV -------------------------------------------------------------------


def upload(content, name="presents.csv"):
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


def test_csv_upload_in_the_admin_awards_everyone(client, badge, awarder):
    client.force_login(awarder)
    response = client.post(
        "/admin/badges/decerner/csv/",
        {"badge_class": badge.pk, "csv_file": upload(GOOD_CSV)},
    )
    assert response.status_code == 302
    assert sorted(badge.assertions.values_list("recipient_email", flat=True)) == [
        "karim@exemple.fr",
        "lea@exemple.fr",
    ]
    assert len(mail.outbox) == 2


def test_csv_with_bad_rows_reports_line_numbers_and_issues_nothing(
    client, badge, awarder
):
    award(badge, email="deja@exemple.fr")
    content = (
        "nom,email\n"
        "Léa Martin,lea@exemple.fr\n"
        "Karim Benali,karim@@exemple\n"
        "\n"
        "Léa encore,LEA@exemple.fr\n"
        "Déjà Là,deja@exemple.fr\n"
        "Sans Adresse,\n"
    )
    client.force_login(awarder)
    response = client.post(
        "/admin/badges/decerner/csv/",
        {"badge_class": badge.pk, "csv_file": upload(content)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rien n&#x27;a été décerné" in html or "Rien n'a été décerné" in html
    assert "ligne 3 : adresse e-mail invalide" in html
    assert "ligne 4 : ligne vide." in html
    assert "ligne 5 : lea@exemple.fr figure déjà à la ligne 2." in html
    assert "ligne 6 : deja@exemple.fr a déjà ce badge." in html
    assert "ligne 7 : il faut un nom et une adresse e-mail." in html
    assert badge.assertions.count() == 1  # only the earlier one
    assert mail.outbox == []


def test_command_prints_one_assertion_url_per_line(badge, tmp_path):
    csv_file = tmp_path / "presents.csv"
    # Semicolons and a BOM, as a French spreadsheet saves them.
    csv_file.write_text(
        "\ufeffLéa Martin;lea@exemple.fr\nKarim Benali;karim@exemple.fr\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command(
        "award_badges",
        "premiers-pas",
        str(csv_file),
        "--base-url",
        "https://atelier.exemple.fr",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    uids = dict(badge.assertions.values_list("recipient_email", "uid"))
    assert lines == [
        f"https://atelier.exemple.fr/badges/assertions/{uids['lea@exemple.fr']}",
        f"https://atelier.exemple.fr/badges/assertions/{uids['karim@exemple.fr']}",
    ]
    assert badge.assertions.filter(source=BadgeAssertion.Source.COMMAND).count() == 2
    assert {m.to[0] for m in mail.outbox} == {"lea@exemple.fr", "karim@exemple.fr"}


def test_command_with_a_bad_row_issues_nothing(badge, tmp_path):
    csv_file = tmp_path / "presents.csv"
    csv_file.write_text("Léa Martin,lea@exemple.fr\nKarim,karim-sans-arobase\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Aucun badge décerné"):
        call_command("award_badges", "premiers-pas", str(csv_file), stderr=err)
    assert "ligne 2 : adresse e-mail invalide : « karim-sans-arobase »." in (
        err.getvalue()
    )
    assert BadgeAssertion.objects.count() == 0


def test_command_unknown_badge_is_a_clear_error(badge, tmp_path):
    csv_file = tmp_path / "presents.csv"
    csv_file.write_text(GOOD_CSV)
    with pytest.raises(CommandError, match="Badge inconnu : « inexistant »"):
        call_command("award_badges", "inexistant", str(csv_file))
    with pytest.raises(CommandError, match="Impossible de lire le fichier"):
        call_command("award_badges", "premiers-pas", str(tmp_path / "absent.csv"))
    assert BadgeAssertion.objects.count() == 0


def test_command_exit_status_is_non_zero(badge, tmp_path, capsys):
    from django.core.management import execute_from_command_line

    csv_file = tmp_path / "presents.csv"
    csv_file.write_text(GOOD_CSV)
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(
            ["manage.py", "award_badges", "inexistant", str(csv_file)]
        )
    assert exit_info.value.code != 0
    assert "Badge inconnu" in capsys.readouterr().err


# --- Attendance sheet ---------------------------------------------------------


def test_award_everyone_marked_present(client, home_page, badge, awarder):
    from events.models import EventIndexPage, Registration
    from tests.factories.events import create_event, paris

    agenda = EventIndexPage.objects.get()
    event = create_event(
        agenda, title="Atelier impression 3D", start=paris(2026, 12, 5)
    )
    start = paris(2026, 12, 5)
    common = {"event": event, "occurrence_start": start, "consent_at": start}
    Registration.objects.create(
        name="Léa", email="lea@exemple.fr", attended=True, **common
    )
    Registration.objects.create(name="Absent", email="absent@exemple.fr", **common)
    Registration.objects.create(
        name="Karim", email="karim@exemple.fr", attended=True, **common
    )
    client.force_login(awarder)
    form = client.get("/admin/badges/decerner/presents/")
    assert (
        "Atelier impression 3D – 05/12/2026 09:30 (2 présents)" in form.content.decode()
    )
    key = f"{event.pk}|{int(start.timestamp())}"
    response = client.post(
        "/admin/badges/decerner/presents/", {"badge_class": badge.pk, "occurrence": key}
    )
    assert response.status_code == 302
    assert sorted(badge.assertions.values_list("recipient_email", flat=True)) == [
        "karim@exemple.fr",
        "lea@exemple.fr",
    ]
    # Again: nobody gets it twice.
    client.post(
        "/admin/badges/decerner/presents/", {"badge_class": badge.pk, "occurrence": key}
    )
    assert badge.assertions.count() == 2


# --- Erasure -----------------------------------------------------------------


def test_erasing_a_recipient_keeps_only_the_hash(client, badge, pending):
    assertion = award(badge, email="lea@exemple.fr", name="Léa Martin", show_name=True)
    identity = assertion.identity_hash
    out = io.StringIO()
    call_command("erase_badge_recipient", "LEA@exemple.fr", stdout=out)
    assert "1 badges anonymisés, 1 demandes supprimées." in out.getvalue()
    assertion.refresh_from_db()
    assert assertion.recipient_email == ""
    assert assertion.recipient_name == ""
    assert assertion.identity_hash == identity
    assert not assertion.revoked
    assert BadgeRequest.objects.count() == 0
    html = client.get(f"/badges/assertions/{assertion.uid}/verifier").content.decode()
    assert "Léa Martin" not in html
    assert client.get(f"/badges/assertions/{assertion.uid}").status_code == 200


def test_erasing_with_revoke_from_the_admin(client, badge, awarder):
    assertion = award(badge, email="lea@exemple.fr")
    client.force_login(awarder)
    response = client.post(
        "/admin/badges/decerner/effacer/", {"email": "lea@exemple.fr", "revoke": "on"}
    )
    assert response.status_code == 302
    assertion.refresh_from_db()
    assert assertion.revoked and assertion.recipient_email == ""
    assert client.get(f"/badges/assertions/{assertion.uid}").status_code == 410


# --- Badge images ------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "fmt", "message"),
    [
        ((256, 256), "JPEG", "L&#x27;image du badge doit être au format PNG"),
        ((300, 200), "PNG", "L&#x27;image du badge doit être carrée"),
        ((120, 120), "PNG", "doit mesurer au moins 200 × 200 pixels"),
    ],
)
def test_bad_badge_image_is_refused_in_french(client, home_page, size, fmt, message):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser(
        "chef", "chef@exemple.fr", "x" * 12
    )
    client.force_login(admin)
    image = wagtail_image(*size, fmt=fmt)
    response = client.post(
        "/admin/snippets/resources/badgeclass/add/",
        {
            "name": "Badge raté",
            "slug": "badge-rate",
            "description": "Essai.",
            "image": image.pk,
            "criteria_narrative": "Rien.",
            "validity_months": "",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BadgeClass.objects.filter(slug="badge-rate").exists()


def test_good_badge_image_is_accepted(client, home_page):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser(
        "chef", "chef@exemple.fr", "x" * 12
    )
    client.force_login(admin)
    response = client.post(
        "/admin/snippets/resources/badgeclass/add/",
        {
            "name": "Badge réussi",
            "slug": "badge-reussi",
            "description": "Essai.",
            "image": wagtail_image(200, 200).pk,
            "criteria_narrative": "Suivre le parcours.",
            "validity_months": "12",
        },
    )
    assert response.status_code == 302
    assert BadgeClass.objects.get(slug="badge-reussi").validity_months == 12


# --- Roles of the portal and admin pages --------------------------------------


def test_mediatheque_roles_award_and_clx_roles_do_not(client, pending, role_user):
    roles = role_user.roles
    clx = role_user(roles.CLX_EDITORS, username="clx")
    client.force_login(clx)
    url = f"/admin/badges/decerner/demandes/{pending.pk}/approuver/"
    assert client.post(url).status_code in (302, 403)
    pending.refresh_from_db()
    assert pending.status == BadgeRequest.Status.PENDING

    editor = role_user(roles.MEDIATHEQUE_EDITORS, username="mediatheque")
    client.force_login(editor)
    assert client.post(url).status_code == 302
    pending.refresh_from_db()
    assert pending.status == BadgeRequest.Status.APPROVED


def test_admin_pages_of_paths_and_badges_render(client, badge, pending, admin_user):
    path = badge.learning_paths.get()
    award(badge, email="karim@exemple.fr")
    client.force_login(admin_user)
    for url in (
        f"/admin/pages/{path.pk}/edit/",
        f"/admin/pages/add/resources/learningpathpage/{path.get_parent().pk}/",
        "/admin/snippets/resources/badgeclass/",
        f"/admin/snippets/resources/badgeclass/edit/{badge.pk}/",
        "/admin/snippets/resources/competence/",
        "/admin/badges/demandes/",
        f"/admin/badges/demandes/inspect/{pending.pk}/",
        "/admin/badges/decernes/",
        "/admin/badges/decerner/csv/",
        "/admin/badges/decerner/effacer/",
        "/admin/settings/resources/badgeissuersettings/",
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
