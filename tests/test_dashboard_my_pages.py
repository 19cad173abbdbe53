"""« Mes contenus et où ils en sont » on a CLX editor's admin home: the pages
they own and those they finished and sent for review, before and after the
médiathèque approves them."""

import pytest
from django.urls import reverse

from portal import roles
from tests.admin_forms import admin_edit_page, messages_of

pytestmark = pytest.mark.django_db

HEADING = "Mes contenus et où ils en sont"


def _row(html, title):
    panel = html[html.index(HEADING) :]
    row = panel[panel.index(title) :]
    return row[: row.index("</tr>")]


def _approve(client, moderator, page):
    client.force_login(moderator)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, "approve", page.current_workflow_task_state.pk),
        ),
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live


@pytest.mark.parametrize("made_by", [roles.CLX_EDITORS, roles.CLX_COORDINATION])
def test_an_approved_event_stays_on_its_clx_editor_s_home(
    client, portal_roles, make_event, made_by
):
    """Whether the CLX editor made the draft or finished a colleague's (the
    draft event of a room booking belongs to CLX – Coordination), once the
    médiathèque has approved it, it is still « Mes contenus », « En ligne »."""
    clx = portal_roles(roles.CLX_EDITORS)
    moderator = portal_roles(roles.MODERATION)
    event = make_event(
        "Atelier libérez votre ordinateur", owner=portal_roles(made_by), live=False
    )
    client.force_login(clx)
    response = admin_edit_page(
        client,
        event,
        {"summary": "Apportez votre ordinateur et son chargeur."},
        action="submit",
    )
    assert response.status_code == 302, messages_of(response)
    assert "En attente de relecture" in _row(
        client.get("/admin/").content.decode(), event.title
    )

    _approve(client, moderator, event)

    client.force_login(clx)
    html = client.get("/admin/").content.decode()
    assert HEADING in html
    assert "En ligne" in _row(html, event.title)


def test_a_colleague_s_untouched_draft_is_not_mine(client, portal_roles, make_event):
    clx = portal_roles(roles.CLX_EDITORS)
    make_event(
        "Brouillon de la coordination",
        owner=portal_roles(roles.CLX_COORDINATION),
        live=False,
    )
    make_event("Mon brouillon", owner=clx, live=False)
    client.force_login(clx)
    html = client.get("/admin/").content.decode()
    assert "Mon brouillon" in _row(html, "Mon brouillon")
    assert "Brouillon de la coordination" not in html
