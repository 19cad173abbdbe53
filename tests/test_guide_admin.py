"""Writing guides in the admin: bad input (image without alt text, empty
step, forbidden download) gets a French message and nothing is saved."""

import html as html_lib
import re

import pytest
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from resources.models import GuideIndexPage, GuidePage, Machine
from tests.factories.guides import MachineFactory, make_guide, make_image

pytestmark = pytest.mark.django_db


def _shown(response):
    """The admin page as the editor reads it: StreamField errors travel as
    escaped JSON, decoded here so that the assertions read like the screen."""
    text = html_lib.unescape(response.content.decode())
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def _add_url():
    index = GuideIndexPage.objects.get()
    return f"/admin/pages/add/resources/guidepage/{index.pk}/"


def _post_data(steps, **fields):
    data = {
        "title": "Découper du vinyle",
        "slug": "decouper-du-vinyle",
        "summary": "Un autocollant en dix minutes.",
        "category": "fab-lab",
        "difficulty": "2",
        "duration_minutes": "30",
        "licence": "cc-by-sa-4.0",
        "tools": "",
        "safety_warnings": rich_text(""),
        "steps": streamfield(steps),
        "materials": inline_formset(
            [{"name": "Vinyle adhésif", "quantity": "1 feuille", "link": ""}]
        ),
        "downloads": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(fields)
    return nested_form_data(data)


def _step(title="Charger le vinyle", text="<p>Placez la feuille.</p>", extras=()):
    return (
        "step",
        {"title": title, "text": rich_text(text), "extras": streamfield(list(extras))},
    )


def test_admin_creates_a_guide_with_steps_and_materials(admin_client, home_page):
    image = make_image()
    extras = [
        (
            "image",
            {"image": image.pk, "alt_text": "La lame de la découpeuse", "caption": ""},
        )
    ]
    response = admin_client.post(_add_url(), _post_data([_step(extras=extras)]))
    assert response.status_code == 302, response.content.decode()[:3000]
    guide = GuidePage.objects.get(slug="decouper-du-vinyle")
    assert guide.materials.get().name == "Vinyle adhésif"
    assert (
        guide.steps[0].value["extras"][0].value["alt_text"]
        == "La lame de la découpeuse"
    )


def test_image_without_alt_text_is_refused(admin_client, home_page):
    image = make_image()
    extras = [("image", {"image": image.pk, "alt_text": "   ", "caption": ""})]
    response = admin_client.post(_add_url(), _post_data([_step(extras=extras)]))
    assert response.status_code == 200
    assert "Décrivez l'image : le texte alternatif est obligatoire." in _shown(response)
    assert not GuidePage.objects.filter(slug="decouper-du-vinyle").exists()


def test_empty_step_is_refused(admin_client, home_page):
    response = admin_client.post(_add_url(), _post_data([_step(text="<p></p>")]))
    assert response.status_code == 200
    assert "Cette étape est vide" in _shown(response)
    assert not GuidePage.objects.filter(slug="decouper-du-vinyle").exists()


def test_guide_without_any_step_cannot_be_published(admin_client, home_page):
    response = admin_client.post(_add_url(), _post_data([], **{"action-publish": "1"}))
    assert response.status_code == 200
    assert not GuidePage.objects.filter(slug="decouper-du-vinyle").exists()


def test_failed_edit_keeps_the_published_guide(admin_client, home_page):
    admin_client.post(_add_url(), _post_data([_step()], **{"action-publish": "1"}))
    guide = GuidePage.objects.get(slug="decouper-du-vinyle")
    response = admin_client.post(
        f"/admin/pages/{guide.pk}/edit/",
        _post_data([_step(text="")], title="Titre modifié", **{"action-publish": "1"}),
    )
    assert response.status_code == 200
    assert "Cette étape est vide" in _shown(response)
    guide.refresh_from_db()
    assert guide.title == "Découper du vinyle"
    assert guide.live


def test_machine_snippet_listing_filters_and_export(admin_client, home_page):
    MachineFactory()
    MachineFactory(
        name="Découpeuse laser",
        slug="laser",
        kind="decoupeuse-laser",
        model_name="Trotec Speedy 100",
        location="Atelier",
    )
    listing = admin_client.get("/admin/snippets/resources/machine/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Imprimante 3D" in html and "Découpeuse laser" in html
    filtered = admin_client.get(
        "/admin/snippets/resources/machine/?kind=decoupeuse-laser"
    ).content.decode()
    assert "Découpeuse laser" in filtered and "Prusa MK4" not in filtered
    export = admin_client.get("/admin/snippets/resources/machine/?export=csv")
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode()
    assert "Découpeuse laser" in body
    laser = Machine.objects.get(slug="laser")
    inspect = admin_client.get(f"/admin/snippets/resources/machine/inspect/{laser.pk}/")
    assert inspect.status_code == 200


def test_preview_of_a_new_guide_renders_its_steps(admin_client, home_page):
    url = _add_url() + "preview/"
    data = _post_data([_step(title="Charger le vinyle")])
    response = admin_client.post(url, data)
    assert response.json()["is_valid"] is True
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Étape 1" in html and "Charger le vinyle" in html
    assert "Vinyle adhésif" in html


def test_preview_of_a_published_guide_shows_the_edits_not_the_stored_guide(
    admin_client, home_page
):
    printer = MachineFactory()
    laser = MachineFactory(name="Découpeuse laser", slug="laser", model_name="Trotec")
    guide = make_guide(machines=[printer], materials=[("Vinyle adhésif", "1 feuille")])
    public = admin_client.get(guide.url).content.decode()
    assert "Vinyle adhésif" in public and "Prusa MK4" in public
    edited = _post_data(
        [_step()],
        title=guide.title,
        slug=guide.slug,
        materials=inline_formset(
            [
                {
                    "id": str(guide.materials.get().pk),
                    "name": "Vinyle adhésif",
                    "quantity": "1 feuille",
                    "link": "",
                    "DELETE": "1",
                },
                {"name": "Papier transfert", "quantity": "2 feuilles", "link": ""},
            ],
            initial=1,
        ),
    )
    edited["machines"] = [str(laser.pk)]
    url = f"/admin/pages/{guide.pk}/edit/preview/"
    assert admin_client.post(url, edited).json()["is_valid"] is True
    html = admin_client.get(url).content.decode()
    assert "Papier transfert" in html and "Trotec" in html
    assert "Vinyle adhésif" not in html and "Prusa MK4" not in html
    # The published guide still shows what is stored.
    public = admin_client.get(guide.url).content.decode()
    assert "Vinyle adhésif" in public and "Prusa MK4" in public
    assert "Papier transfert" not in public and "Trotec" not in public
