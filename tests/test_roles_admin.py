"""The admin as each role sees it: what waits for whom on the home page,
which partner wrote what, and requests a CLX editor is not allowed to make
(forged publish, delete, approval, another section) refused with the page
left as it was."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from home.models import StandardPage
from portal import roles
from tests.admin_forms import admin_edit_page, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def clx(portal_roles):
    return portal_roles(roles.CLX_EDITORS)


@pytest.fixture
def moderator(portal_roles):
    return portal_roles(roles.MODERATION)


@pytest.fixture
def editor(portal_roles):
    return portal_roles(roles.MEDIATHEQUE_EDITORS)


def _submit(client, user, page):
    client.force_login(user)
    response = admin_edit_page(client, page, {}, action="submit")
    assert response.status_code == 302, messages_of(response)
    page.refresh_from_db()
    return page


# --- Admin home -------------------------------------------------------------


def test_clx_editor_home_shows_each_page_and_where_it_stands(
    client, clx, moderator, make_event
):
    make_event("Brouillon de Claude", owner=clx, live=False)
    waiting = _submit(
        client, clx, make_event("Soumis par Claude", owner=clx, live=False)
    )
    rejected = _submit(
        client, clx, make_event("Refusé à Claude", owner=clx, live=False)
    )
    client.force_login(moderator)
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(rejected.pk, "reject", rejected.current_workflow_task_state.pk),
        ),
        {"comment": "À revoir"},
    )
    make_event("Événement de la médiathèque", owner=moderator, live=False)

    client.force_login(clx)
    html = client.get("/admin/").content.decode()
    assert "Mes contenus et où ils en sont" in html
    panel = html[html.index("Mes contenus et où ils en sont") :]
    for title, stage in [
        ("Brouillon de Claude", "Brouillon"),
        ("Soumis par Claude", "En attente de relecture"),
        ("Refusé à Claude", "Modifications demandées"),
    ]:
        row = panel[panel.index(title) :]
        row = row[: row.index("</tr>")]
        assert stage in row, (title, row)
    assert "Événement de la médiathèque" not in html
    assert waiting.workflow_in_progress


def test_moderator_home_lists_what_waits_for_review(
    client, clx, moderator, make_event, portal_roles
):
    page = _submit(client, clx, make_event("Install party", owner=clx, live=False))
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert "Install party" in html
    task_state = page.current_workflow_task_state
    for action in ("approve", "reject"):
        url = reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, action, task_state.pk),
        )
        assert url in html
    # The author's CLX colleague does not get the review buttons.
    client.force_login(portal_roles(roles.CLX_EDITORS, "clx-collegue"))
    assert (
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, "approve", task_state.pk),
        )
        not in client.get("/admin/").content.decode()
    )


# --- « Contenus par partenaire » ------------------------------------------


def test_partner_report_shows_and_filters_the_authoring_partner(
    client, clx, moderator, editor, make_event
):
    make_event("Atelier écrit par CLX", owner=clx, live=False)
    make_event("Atelier écrit par la médiathèque", owner=editor)
    client.force_login(moderator)
    url = reverse("contenus_par_partenaire:index")

    html = client.get(url).content.decode()
    assert "Contenus par partenaire" in html
    assert "Atelier écrit par CLX" in html
    assert "Atelier écrit par la médiathèque" in html

    html = client.get(url, {"partner": "clx"}).content.decode()
    assert "Atelier écrit par CLX" in html
    assert "Atelier écrit par la médiathèque" not in html
    row = html[html.index("Atelier écrit par CLX") :]
    assert "CLX" in row[: row.index("</tr>")]

    html = client.get(url, {"partner": "mediatheque-wimille"}).content.decode()
    assert "Atelier écrit par CLX" not in html
    assert "Atelier écrit par la médiathèque" in html


def test_partner_report_query_count_does_not_grow_with_pages(
    client, clx, moderator, make_event, django_assert_max_num_queries
):
    for i in range(30):
        make_event(f"Atelier {i}", owner=clx if i % 2 else moderator, live=bool(i % 3))
    client.force_login(moderator)
    url = reverse("contenus_par_partenaire:index")
    client.get(url)
    with django_assert_max_num_queries(60):
        assert client.get(url, {"partner": "clx"}).status_code == 200


# --- Refusals: forged requests leave the page as it was ----------------------


def _refused(response):
    """403, or the admin's redirect with an error message."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and any(
        "droit" in m or "autorisation" in m for m in messages_of(response)
    )


def test_forged_publish_is_refused_and_keeps_nothing(client, clx, make_event):
    page = make_event("Petit dej du libre", owner=None)
    revisions = page.revisions.count()
    client.force_login(clx)
    response = admin_edit_page(
        client, page, {"title": "Publié en douce"}, action="publish"
    )
    assert _refused(response), messages_of(response)
    assert "Validation médiathèque" in " ".join(messages_of(response))
    page.refresh_from_db()
    assert page.title == "Petit dej du libre"
    assert page.live
    assert page.revisions.count() == revisions
    assert client.get(page.url).content.decode().count("Publié en douce") == 0


def test_forged_publish_on_create_is_refused(client, clx, agenda, event_type):
    from events.models import EventPage
    from tests.admin_forms import admin_create_page, event_fields

    client.force_login(clx)
    response = admin_create_page(
        client,
        agenda,
        EventPage,
        event_fields("Création publiée en douce", event_type),
        action="publish",
    )
    assert _refused(response), messages_of(response)
    assert not EventPage.objects.filter(title="Création publiée en douce").exists()


def test_forged_bulk_publish_is_refused(client, clx, make_event):
    page = make_event("Brouillon d'un autre", owner=None, live=False)
    client.force_login(clx)
    response = client.post(
        reverse(
            "wagtail_bulk_action",
            args=("wagtailcore", "page", "publish"),
        )
        + f"?id={page.pk}",
        {},
    )
    page.refresh_from_db()
    assert not page.live
    assert response.status_code in (200, 302, 403)


@pytest.mark.parametrize("live", [True, False], ids=["en-ligne", "brouillon"])
def test_clx_editor_cannot_delete_or_unpublish_others_pages(
    client, clx, moderator, make_event, live
):
    page = make_event("Conférence", owner=moderator, live=live)
    client.force_login(clx)
    response = client.post(reverse("wagtailadmin_pages:delete", args=(page.pk,)))
    if live:
        assert _refused(response), response
        assert Page.objects.filter(pk=page.pk).exists()
        response = client.post(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)))
        assert _refused(response)
        page.refresh_from_db()
        assert page.live
    else:
        # A draft nobody published yet may be removed by section editors.
        assert response.status_code == 302


def test_clx_editor_cannot_move_a_live_page(client, clx, make_event, home_page):
    page = make_event("Install party", owner=clx)
    guides = Page.objects.get(slug="guides")
    client.force_login(clx)
    response = client.post(
        reverse("wagtailadmin_pages:move_confirm", args=(page.pk, guides.pk))
    )
    assert _refused(response)
    page.refresh_from_db()
    assert page.get_parent().slug == "agenda"


def test_clx_editor_cannot_approve_their_own_submission(client, clx, make_event):
    page = _submit(client, clx, make_event("Mon atelier", owner=clx, live=False))
    task_state = page.current_workflow_task_state
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, "approve", task_state.pk),
        ),
        {"comment": ""},
    )
    assert _refused(response)
    page.refresh_from_db()
    assert not page.live
    assert page.workflow_in_progress
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_IN_PROGRESS


def test_clx_editor_cannot_reach_pages_outside_their_sections(client, clx, home_page):
    legal = StandardPage.objects.get(slug="mentions-legales")
    client.force_login(clx)
    for url in [
        reverse("wagtailadmin_pages:edit", args=(legal.pk,)),
        reverse("wagtailadmin_pages:edit", args=(home_page.pk,)),
        reverse("wagtailadmin_pages:add_subpage", args=(home_page.pk,)),
    ]:
        assert _refused(client.get(url)), url
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(legal.pk,)),
        {"title": "Mentions modifiées", "slug": "mentions-legales"},
    )
    assert _refused(response)
    legal.refresh_from_db()
    assert legal.title == "Mentions légales"
    assert legal.get_latest_revision().as_object().title == "Mentions légales"


def test_forged_volunteer_publish_by_coordination_is_refused(client, portal_roles):
    from tests.admin_forms import form_data
    from tests.factories.volunteers import VolunteerFactory

    volunteer = VolunteerFactory(display_name="Sam Bénévole")
    revisions = volunteer.revisions.count()
    client.force_login(portal_roles(roles.CLX_COORDINATION))
    url = reverse("wagtailsnippets_volunteers_volunteer:edit", args=(volunteer.pk,))
    data = form_data(client.get(url), form_id=None)
    data["display_name"] = "Publié sans relecture"
    data["action-publish"] = "on"
    response = client.post(url, data)
    assert _refused(response), messages_of(response)
    assert "Validation médiathèque" in " ".join(messages_of(response))
    volunteer.refresh_from_db()
    assert volunteer.display_name == "Sam Bénévole"
    assert volunteer.revisions.count() == revisions
