"""Erasure on request: the admin action and `manage.py erase_volunteer <id>`
leave no trace of the person (revisions and logs included), only an
anonymised record of charter signatures."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision

from tests.factories.volunteers import CharterVersionFactory
from tests.volunteer_helpers import (
    ADD_URL,
    EDIT_URL,
    volunteer_form_data,
)
from volunteers.models import CharterSignature, Skill, Volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]

EMAIL = "camille.dupont@prive.invalid"
PHONE = "06 12 34 56 78"


@pytest.fixture
def moderator(client, role_user):
    user = role_user(role_user.roles.MODERATION, username="moderation-test")
    client.force_login(user)
    return user


@pytest.fixture
def volunteer_with_history(client, moderator, home_page):
    """A volunteer created and edited through the admin (so with revisions
    and log entries), with a photo, a private skill and a signature."""
    from wagtail_factories import ImageFactory

    photo = ImageFactory(title="Photo de Camille Dupont-Secret")
    photo.get_rendition("fill-160x160")
    response = client.post(
        reverse(ADD_URL),
        volunteer_form_data(photo=str(photo.pk), skills="Linux, Pêche-à-la-ligne-rare"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    volunteer = Volunteer.objects.get(display_name="Camille")
    response = client.post(
        reverse(EDIT_URL, args=[volunteer.pk]),
        volunteer_form_data(
            photo=str(photo.pk), bio="Nouvelle présentation", **{"action-publish": "1"}
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version = CharterVersionFactory()
    CharterSignature.objects.create(
        volunteer=volunteer,
        version=version,
        signed_on=datetime.date(2026, 2, 1),
        countersigned_on=datetime.date(2026, 2, 3),
        countersigned_by=moderator,
    )
    assert Revision.objects.for_instance(volunteer).count() >= 2
    assert any(
        EMAIL in str(r.content) for r in Revision.objects.for_instance(volunteer)
    )
    return Volunteer.objects.get(pk=volunteer.pk)


def _database_dump():
    """Every row of every table, as text."""
    from django.apps import apps

    return "\n".join(
        str(row) for model in apps.get_models() for row in model._base_manager.values()
    )


def _assert_no_trace(volunteer_pk):
    assert not Volunteer.objects.filter(pk=volunteer_pk).exists()
    for revision in Revision.objects.all():
        assert EMAIL not in str(revision.content)
    for entry in ModelLogEntry.objects.all():
        assert EMAIL not in str(entry.data)
        assert "Dupont-Secret" not in entry.label
    dump = _database_dump()
    for secret in (EMAIL, PHONE, "Dupont-Secret", "Pêche-à-la-ligne-rare"):
        assert secret not in dump, secret
    assert not Skill.objects.filter(name="Pêche-à-la-ligne-rare").exists()
    from wagtail.images.models import Image, Rendition

    assert not Image.objects.exists()
    assert not Rendition.objects.exists()
    signature = CharterSignature.objects.get()
    assert signature.volunteer is None
    assert signature.anonymised_label.startswith(f"Bénévole effacé n° {volunteer_pk}")
    assert signature.signed_on == datetime.date(2026, 2, 1)
    assert signature.countersigned_on == datetime.date(2026, 2, 3)


def test_admin_erase_button_removes_every_trace(client, volunteer_with_history):
    pk = volunteer_with_history.pk
    edit = client.get(reverse(EDIT_URL, args=[pk])).content.decode()
    erase_url = reverse("wagtailsnippets_volunteers_volunteer:erase", args=[pk])
    assert erase_url in edit
    confirm = client.get(erase_url)
    assert confirm.status_code == 200
    assert "irréversible" in confirm.content.decode()

    response = client.post(erase_url)

    assert response.status_code == 302
    _assert_no_trace(pk)
    listing = client.get(response["Location"]).content.decode()
    assert "données personnelles effacées" in listing
    # The erasure is logged, anonymously.
    assert ModelLogEntry.objects.filter(action="volunteers.erase").count() == 1


def test_command_erases_and_reports(volunteer_with_history):
    pk = volunteer_with_history.pk
    out = StringIO()
    call_command("erase_volunteer", str(pk), stdout=out)
    assert "Effacement terminé" in out.getvalue()
    assert "Signatures de charte conservées anonymement : 1" in out.getvalue()
    _assert_no_trace(pk)


@pytest.mark.parametrize("arg", ["424242", "abc"])
def test_command_refuses_unknown_id_in_french(home_page, arg):
    with pytest.raises(CommandError) as error:
        call_command("erase_volunteer", arg)
    assert "bénévole" in str(error.value)


def test_command_exits_non_zero(home_page, capsys):
    from django.core.management import execute_from_command_line

    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "erase_volunteer", "424242"])
    assert exit_info.value.code != 0
    assert "Aucun bénévole ne porte le numéro 424242" in capsys.readouterr().err


def test_clx_roles_cannot_erase(client, role_user, volunteer_with_history):
    pk = volunteer_with_history.pk
    for role in (role_user.roles.CLX_COORDINATION, role_user.roles.CLX_EDITORS):
        client.force_login(role_user(role))
        assert client.post(
            reverse("wagtailsnippets_volunteers_volunteer:erase", args=[pk])
        ).status_code in (
            302,
            403,
        )
        assert Volunteer.objects.filter(pk=pk).exists()
