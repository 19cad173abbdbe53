"""The portal's own guide, reached from the admin's « Aide » menu."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from portal import help as portal_help
from portal import roles


def test_guide_needs_an_admin_account(client, db):
    response = client.get("/admin/aide/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("role", roles.ROLES)
def test_every_role_reads_every_page_and_its_own_first(client, role_user, role):
    client.force_login(role_user(role))
    index = client.get("/admin/aide/")
    assert index.status_code == 200
    html = index.content.decode()
    assert "Guide du portail" in html
    mine_heading = html.index("Pour votre rôle")
    for topic in portal_help.TOPICS:
        title = escape(str(topic.title))
        assert title in html
        position = html.index(title)
        if role in topic.roles:
            assert position > mine_heading
        page = client.get(reverse("portal_help:topic", args=[topic.slug]))
        assert page.status_code == 200
        assert title in page.content.decode()


def test_clx_editors_find_the_validation_page_first(client, role_user):
    client.force_login(role_user(roles.CLX_EDITORS))
    html = client.get("/admin/aide/").content.decode()
    mine, others = html.split("Les autres fiches")
    assert "Rédacteurs CLX" in mine
    assert "Relire et valider" in others


def test_pages_are_rendered_from_the_markdown_files(client, role_user):
    client.force_login(role_user(roles.MODERATION))
    html = client.get("/admin/aide/inscriptions-et-emargement/").content.decode()
    assert "<h2>La feuille d'émargement</h2>" in html.replace("&#x27;", "'")
    assert "<strong>Inscriptions › Séances</strong>" in html


def test_unknown_page_is_a_404(client, role_user):
    client.force_login(role_user(roles.CLX_EDITORS))
    assert client.get("/admin/aide/nexiste-pas/").status_code == 404


def test_the_help_menu_leads_to_the_guide(client, role_user):
    client.force_login(role_user(roles.CLX_EDITORS))
    html = client.get("/admin/").content.decode()
    # The sidebar is drawn by JavaScript from this JSON description.
    assert '"name": "portal-help"' in html
    assert '"url": "/admin/aide/"' in html
    assert "whats-new-in-wagtail" not in html


def test_every_topic_has_its_file():
    for topic in portal_help.TOPICS:
        assert topic.source.is_file(), topic.slug


def test_the_help_menu_opens_on_the_portal_guide_and_ends_on_wagtail_s_english_one(
    client, role_user
):
    client.force_login(role_user(roles.CLX_EDITORS))
    html = client.get("/admin/").content.decode()
    positions = [
        html.index(f'"name": "{name}"')
        for name in ("portal-help", "keyboard-shortcuts-trigger", "editor-guide")
    ]
    assert positions == sorted(positions)
    assert "whats-new" not in html
    assert "Guide de l'\\u00e9diteur Wagtail (en anglais)" in html


def test_the_admin_home_links_to_the_portal_guide_before_wagtail_s(client, role_user):
    client.force_login(role_user(roles.CLX_EDITORS))
    html = client.get("/admin/").content.decode().replace("&#x27;", "'")
    ours = html.index('href="/admin/aide/"')
    assert "Guide du portail (en français)" in html[ours : ours + 200]
    english = html.index("Guide de l'éditeur Wagtail (en anglais)")
    assert ours < english


def test_the_money_guide_names_who_may_authorise_as_the_matrix_does(client, role_user):
    """One truth: the roles the guide says authorise town spending, or give
    CLX's agreement, are the roles of the matrix (portal/roles.py)."""
    client.force_login(role_user(roles.MEDIATHEQUE_EDITORS))
    url = reverse("portal_help:topic", args=("engagements-financiers",))
    text = client.get(url).content.decode()
    town_row = text[text.index("Ville de Wimille</td>") :].split("</tr>")[0]
    shared_row = text[text.index("partagé</td>") :].split("</tr>")[0]
    for role in roles.ROLES:
        actions = roles.MATRIX[role]
        assert (role in town_row) == ("authorise_town_commitments" in actions), role
        assert (role in shared_row) == ("agree_clx_commitments" in actions), role
