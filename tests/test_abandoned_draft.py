"""Wagtail 8 autosaves the « add page » form: a draft exists as soon as a
title is typed. Starting the same page again later must not end on a bare
« identifiant déjà utilisé »: the editor is told it is their own draft and
given the way back to it."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from events.models import EventPage
from portal import roles
from tests.admin_forms import event_fields, form_data

pytestmark = pytest.mark.django_db

TITLE = "Atelier : l'œuvre libre, de Wikipédia à OpenStreetMap"


def _add(client, agenda, fields, **headers):
    url = reverse("wagtailadmin_pages:add", args=("events", "eventpage", agenda.pk))
    data = form_data(client.get(url))
    data.update(fields)
    return client.post(url, data, HTTP_ORIGIN="http://testserver", **headers)


@pytest.mark.parametrize("role", [roles.CLX_EDITORS, roles.MEDIATHEQUE_EDITORS])
def test_starting_again_a_page_left_as_an_autosaved_draft_leads_back_to_it(
    client, portal_roles, agenda, event_type, role
):
    editor = portal_roles(role)
    client.force_login(editor)
    fields = event_fields(TITLE, event_type, slug="atelier-l-œuvre-libre")

    # Typing the title: the admin's autosave creates the draft, then the
    # editor closes the tab.
    autosaved = _add(client, agenda, fields, HTTP_ACCEPT="application/json")
    assert autosaved.json()["success"]
    draft = EventPage.objects.get(title=TITLE)
    assert not draft.live

    # The next day, the same title again, saved by hand.
    response = _add(client, agenda, fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(f"Vous avez déjà commencé une page « {TITLE} »") in html
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert f'<a href="{edit_url}">Reprendre ce brouillon</a>' in html
    assert EventPage.objects.filter(title=TITLE).count() == 1
    # The link opens the draft, as it was left.
    assert client.get(edit_url).status_code == 200


def test_a_published_page_keeps_wagtail_s_own_message(
    client, portal_roles, agenda, event_type, make_event
):
    make_event(TITLE, live=True)
    client.force_login(portal_roles(roles.MEDIATHEQUE_EDITORS))
    page = EventPage.objects.get(title=TITLE)
    response = _add(client, agenda, event_fields(TITLE, event_type, slug=page.slug))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vous avez déjà commencé" not in html
    assert "déjà utilisé" in html
