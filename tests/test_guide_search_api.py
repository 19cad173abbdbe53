"""Guides in site search (steps included) and in the public API, without
anything private."""

import pytest
from django.core.management import call_command

from tests.factories.guides import MachineFactory, make_guide, step

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]


def test_search_finds_words_that_are_only_in_a_step(client, home_page):
    make_guide(
        title="Imprimer un cube",
        steps=[step("Nettoyer", "<p>Passez de l'alcool isopropylique.</p>")],
    )
    make_guide(title="Autre guide")
    call_command("update_index", verbosity=0)
    html = client.get("/recherche/", {"q": "isopropylique"}).content.decode()
    assert "Imprimer un cube" in html
    assert "Autre guide" not in html


def test_api_lists_guides_with_public_fields_only(client, home_page):
    from tests.factories.volunteers import (
        CharterVersionFactory,
        VolunteerFactory,
        listed_volunteer,
    )

    printer = MachineFactory()
    guide = make_guide(
        title="Imprimer un cube",
        machines=[printer],
        materials=[("Filament PLA", "20 g")],
        difficulty=1,
        steps=[step("Nettoyer le plateau")],
    )
    volunteer = listed_volunteer(CharterVersionFactory())
    unlisted = VolunteerFactory()  # no signed charter: not shown anywhere
    guide.volunteers.add(volunteer, unlisted)
    guide.save_revision().publish()
    # The guide page names its listed volunteer author by display name only.
    page_html = client.get(guide.url).content.decode()
    assert volunteer.display_name in page_html
    assert volunteer.last_name not in page_html
    assert unlisted.display_name not in page_html
    response = client.get(
        "/api/v2/pages/",
        {"type": "resources.GuidePage", "fields": "*"},
    )
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["title"] == "Imprimer un cube"
    assert item["difficulty_label"] == "Très facile"
    assert item["machines"][0]["name"] == "Imprimante 3D"
    assert item["machines"][0]["kind"] == "Imprimante 3D"
    assert item["materials"][0]["name"] == "Filament PLA"
    assert item["steps"][0]["value"]["title"] == "Nettoyer le plateau"
    assert item["licence"] == "cc-by-sa-4.0"
    assert "volunteers" not in item
    assert "owner" not in item["meta"] or item["meta"].get("owner") is None
    body = response.content.decode()
    assert volunteer.email not in body
    assert volunteer.last_name not in body


def test_api_refuses_unknown_fields_with_a_400(client, home_page):
    make_guide()
    response = client.get(
        "/api/v2/pages/", {"type": "resources.GuidePage", "fields": "volunteers"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("query", ['"imprimante', '=HYPERLINK("http://evil.example")'])
def test_api_search_reads_query_syntax_as_plain_words(client, home_page, query):
    make_guide(title="Imprimer en 3D", summary="Une imprimante et du PLA.")
    response = client.get("/api/v2/pages/", {"search": query})
    assert response.status_code == 200
    if query.startswith('"'):
        titles = [item["title"] for item in response.json()["items"]]
        assert "Imprimer en 3D" in titles
