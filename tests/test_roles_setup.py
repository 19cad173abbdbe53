"""`manage.py setup_portal`: one command brings the five groups and the
workflow to what portal/roles.py says, as often as it runs."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowContentType,
    WorkflowMixin,
    WorkflowPage,
)

from portal import access, roles

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything setup_portal decides, in a comparable form."""
    return {
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "model": sorted(
            Group.permissions.through.objects.values_list(
                "group__name",
                "permission__content_type__app_label",
                "permission__codename",
            )
        ),
        "pages": sorted(
            GroupPagePermission.objects.values_list(
                "group__name", "page__url_path", "permission__codename"
            )
        ),
        "collections": sorted(
            GroupCollectionPermission.objects.values_list(
                "group__name", "collection__name", "permission__codename"
            )
        ),
        "workflow": sorted(
            WorkflowPage.objects.values_list("page__url_path", "workflow__name")
        ),
        "workflow_types": sorted(
            WorkflowContentType.objects.values_list(
                "content_type__model", "workflow__name"
            )
        ),
        "tasks": sorted(
            (task.name, tuple(sorted(g.name for g in task.groups.all())))
            for task in GroupApprovalTask.objects.all()
        ),
    }


def _run():
    out, err = io.StringIO(), io.StringIO()
    call_command("setup_portal", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_creates_the_five_groups_and_the_workflow(home_page):
    out, _ = _run()
    assert "5 groupes" in out
    assert set(roles.ROLES) <= set(Group.objects.values_list("name", flat=True))
    # Wagtail's sample groups and workflow are gone.
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert list(Workflow.objects.values_list("name", flat=True)) == [
        roles.WORKFLOW_NAME
    ]
    workflow = Workflow.objects.get()
    [task] = workflow.tasks
    assert task.name == roles.TASK_NAME
    assert set(task.specific.groups.values_list("name", flat=True)) == {
        roles.MODERATION,
        roles.ADMINISTRATION,
    }
    assert WorkflowPage.objects.get(page=home_page).workflow == workflow


def test_running_twice_changes_nothing(home_page):
    _run()
    first = snapshot()
    _run()
    assert snapshot() == first


def test_page_permissions_follow_the_sections(home_page):
    _run()

    def grants(role):
        return {
            (url, codename)
            for url, codename in GroupPagePermission.objects.filter(
                group__name=role
            ).values_list("page__url_path", "permission__codename")
        }

    home = home_page.url_path
    assert grants(roles.CLX_EDITORS) == {
        (f"{home}{section}/", f"{kind}_page")
        for section in ("agenda", "parcours", "guides")
        for kind in ("add", "change")
    }
    assert grants(roles.MEDIATHEQUE_EDITORS) == {
        (home, "add_page"),
        (home, "change_page"),
        (home, "publish_page"),
    }
    assert {codename for _, codename in grants(roles.MODERATION)} == {
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    }


def test_clx_may_add_images_and_choose_documents_but_not_upload_them(home_page):
    _run()
    clx = set(
        GroupCollectionPermission.objects.filter(
            group__name=roles.CLX_EDITORS
        ).values_list("permission__codename", flat=True)
    )
    assert clx == {"add_image", "choose_image", "choose_document"}


def test_rerun_brings_a_tampered_group_back_to_the_matrix(home_page):
    _run()
    expected = snapshot()
    clx = Group.objects.get(name=roles.CLX_EDITORS)
    # Someone gave CLX the right to publish and to see registrations by hand…
    clx.permissions.add(Permission.objects.get(codename="change_portalsettings"))
    GroupPagePermission.objects.create(
        group=clx,
        page=home_page,
        permission=Permission.objects.get(codename="publish_page"),
    )
    # …and removed its access to the admin.
    clx.permissions.remove(Permission.objects.get(codename="access_admin"))
    assert snapshot() != expected
    _run()
    assert snapshot() == expected


def test_changing_the_matrix_in_code_changes_existing_groups(home_page, monkeypatch):
    _run()
    matrix = {**roles.MATRIX}
    matrix[roles.CLX_EDITORS] = matrix[roles.CLX_EDITORS] - {"add_media"}
    matrix[roles.MEDIATHEQUE_EDITORS] = matrix[roles.MEDIATHEQUE_EDITORS] | {
        "manage_users"
    }
    monkeypatch.setattr(roles, "MATRIX", matrix)
    _run()
    assert not GroupCollectionPermission.objects.filter(
        group__name=roles.CLX_EDITORS
    ).exists()
    editors = Group.objects.get(name=roles.MEDIATHEQUE_EDITORS)
    assert editors.permissions.filter(codename="add_user").exists()


def test_missing_permissions_are_skipped_with_a_warning(home_page, monkeypatch):
    actions = {
        **roles.ACTIONS,
        "future": roles.Action(
            "Plus tard", permissions=frozenset({"futureapp.do_something"})
        ),
    }
    matrix = {
        **roles.MATRIX,
        roles.CLX_EDITORS: roles.MATRIX[roles.CLX_EDITORS] | {"future"},
    }
    monkeypatch.setattr(roles, "ACTIONS", actions)
    monkeypatch.setattr(roles, "MATRIX", matrix)
    out, err = _run()
    assert "futureapp.do_something" in err
    assert "5 groupes" in out
    assert (
        Group.objects.get(name=roles.CLX_EDITORS)
        .permissions.filter(codename="access_admin")
        .exists()
    )


def test_every_permission_named_in_the_matrix_exists(db):
    """Fails while an app has not yet migrated a model the matrix names."""
    missing = [
        name
        for name in sorted(roles.all_named_permissions())
        if not access.find_permissions(name)
    ]
    assert missing == []


def test_volunteers_go_through_the_workflow(home_page):
    from volunteers.models import Volunteer

    assert issubclass(Volunteer, WorkflowMixin)
    _run()
    assert (
        WorkflowContentType.objects.get(
            content_type=ContentType.objects.get_for_model(Volunteer)
        ).workflow.name
        == roles.WORKFLOW_NAME
    )


@pytest.mark.empty_site
def test_setup_before_the_site_exists_does_not_fail(db):
    from wagtail.models import Page, Site

    Site.objects.all().delete()
    Page.objects.filter(depth__gt=1).delete()
    out, err = _run()
    assert "5 groupes" in out
    assert "Aucun site par défaut" in err
