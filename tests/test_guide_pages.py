"""Public guide pages: the list and its filters, a guide read in order
(safety before steps), difficulty in words, print support, query budgets."""

import re

import pytest

from resources import blocks as guide_blocks
from resources.models import guides as guide_models
from tests.factories.guides import (
    MachineFactory,
    image_extra,
    make_guide,
    make_image,
    step,
)

pytestmark = pytest.mark.django_db


def _titles(html):
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html)


def test_index_lists_published_guides_with_difficulty_in_words(client, home_page):
    make_guide(title="Souder un câble", difficulty=1)
    make_guide(title="Graver du bois", difficulty=4)
    html = client.get("/guides/").content.decode()
    assert _titles(html) == ["Graver du bois", "Souder un câble"]
    assert "Très facile" in html
    assert "Avancé" in html
    assert "2 guides" in html


def test_filters_by_category_machine_and_difficulty(client, home_page):
    printer = MachineFactory()
    laser = MachineFactory(
        name="Découpeuse laser", slug="laser", kind="decoupeuse-laser"
    )
    make_guide(title="Imprimer un cube", machines=[printer], difficulty=2)
    make_guide(title="Graver un logo", machines=[laser], difficulty=3)
    make_guide(title="Installer Linux", category="logiciel-libre", difficulty=3)

    html = client.get("/guides/?categorie=fab-lab").content.decode()
    assert _titles(html) == ["Graver un logo", "Imprimer un cube"]
    html = client.get("/guides/?machine=laser").content.decode()
    assert _titles(html) == ["Graver un logo"]
    html = client.get("/guides/?difficulte=3&categorie=logiciel-libre").content.decode()
    assert _titles(html) == ["Installer Linux"]
    assert "Effacer les filtres" in html


def test_unknown_filter_value_is_a_400_with_a_french_message(client, home_page):
    make_guide(title="Imprimer un cube")
    response = client.get("/guides/?machine=tronconneuse&difficulte=9")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Cette machine n&#x27;existe pas." in html
    assert "Ce choix n&#x27;existe pas" in html
    assert _titles(html) == []


def test_index_paginates(client, home_page):
    for number in range(14):
        make_guide(title=f"Guide {number:02d}")
    first = client.get("/guides/").content.decode()
    second = client.get("/guides/?page=2").content.decode()
    assert len(_titles(first)) == 12
    assert _titles(second) == ["Guide 12", "Guide 13"]
    assert "Page 2 sur 2" in second
    assert client.get("/guides/?page=999").status_code == 200


def test_guide_shows_safety_before_numbered_steps(client, home_page):
    printer = MachineFactory()
    guide = make_guide(
        title="Imprimer un cube",
        difficulty=3,
        duration_minutes=90,
        cost_estimate="environ 1 €",
        machines=[printer],
        materials=[("Filament PLA", "20 g")],
        tools="Spatule\nPince coupante",
        safety_warnings="<p>Attendez que le plateau refroidisse.</p>",
        steps=[step("Nettoyer le plateau"), step("Lancer l'impression")],
    )
    html = client.get(guide.url).content.decode()
    assert "Intermédiaire" in html
    assert "1 h 30" in html
    assert "environ 1 €" in html
    assert "Filament PLA" in html and "20 g" in html
    assert "<li>Pince coupante</li>" in html
    safety = html.index("Sécurité : à lire avant de commencer")
    assert html.index("Attendez que le plateau refroidisse.") > safety
    assert html.index("La buse chauffe à 215 °C.") > safety
    assert "Formation obligatoire" in html
    steps = html.index('id="guide-steps-title"')
    assert safety < steps
    assert (
        html.index("Étape 1")
        < html.index("Nettoyer le plateau")
        < html.index("Étape 2")
    )
    assert html.index("Étape 2") < html.index("Lancer l&#x27;impression")
    assert "Creative Commons BY-SA 4.0" in html
    assert 'rel="license"' in html


def test_guide_links_print_stylesheet_and_button(client, home_page):
    guide = make_guide()
    html = client.get(guide.url).content.decode()
    assert 'href="/static/portal/css/print.css" media="print"' in html
    assert 'href="/static/resources/css/guides.css"' in html
    # The button appears only with JavaScript; the hint explains Ctrl + P.
    assert "data-print-button hidden" in html
    assert "Ctrl + P" in html
    assert '<script src="/static/resources/js/print.js" defer></script>' in html
    css = client.get("/static/resources/css/guides.css")
    assert b"@media print" in b"".join(css.streaming_content)


def test_step_images_carry_their_alt_text(client, home_page):
    image = make_image()
    guide = make_guide(steps=[step("Regarder", extras=[image_extra(image, "Buse")])])
    html = client.get(guide.url).content.decode()
    assert re.search(r'<img[^>]+alt="Buse"', html)


def test_step_images_with_and_without_their_rendition_yet(client, home_page):
    shown = make_image("Déjà montrée")
    client.get(make_guide(steps=[step("Un", extras=[image_extra(shown)])]).url)
    new = make_image("Nouvelle")
    guide = make_guide(
        steps=[
            step("Un", extras=[image_extra(shown, "Buse")]),
            step("Deux", extras=[image_extra(new, "Plateau")]),
            step("Trois", extras=[image_extra(shown, "Buse encore")]),
        ]
    )
    for _ in range(2):  # the second time, every rendition exists
        html = client.get(guide.url).content.decode()
        alts = re.findall(r'<img[^>]+alt="([^"]+)"[^>]+class="guide-figure__img"', html)
        alts += re.findall(
            r'<img[^>]+class="guide-figure__img"[^>]+alt="([^"]+)"', html
        )
        assert sorted(alts) == ["Buse", "Buse encore", "Plateau"]


def test_related_learning_paths_come_from_their_steps(client, home_page):
    from resources.models import LearningPathIndexPage, LearningPathPage

    guide = make_guide(title="Imprimer un cube")
    paths = LearningPathIndexPage.objects.get()
    path = LearningPathPage(
        title="Premiers pas au Fab Lab",
        slug="fab-lab",
        summary="Un parcours.",
        duration_minutes=60,
    )
    paths.add_child(instance=path)
    path.steps.create(linked_page=guide, title="Imprimer un cube")
    path.save_revision().publish()
    html = client.get(guide.url).content.decode()
    assert "Parcours liés" in html
    assert "Premiers pas au Fab Lab" in html


def _many_guides(count=100, steps_per_guide=15):
    printer = MachineFactory()
    images = [make_image(f"Photo {n}") for n in range(3)]
    guides = []
    for number in range(count):
        steps = [
            step(
                f"Étape {n} du guide {number}",
                extras=[image_extra(images[n % 3])],
            )
            for n in range(steps_per_guide)
        ]
        guides.append(
            make_guide(
                title=f"Guide {number:03d}",
                steps=steps,
                machines=[printer],
                materials=[("Filament", "20 g"), ("Colle", "1")],
                image=images[number % 3],
            )
        )
    return guides


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# Measured: 12 queries for the list, 14 for a guide (header, footer and
# breadcrumbs included); a little room is left for the shared layout.
INDEX_BUDGET = 16
GUIDE_BUDGET = 16


def test_query_budget_with_100_guides_of_15_steps(
    client, home_page, django_assert_max_num_queries
):
    guides = _many_guides()
    small = make_guide(title="Petit guide", steps=[step("Seule étape")])
    # Warm the renditions once, as a real site has them already.
    client.get("/guides/")
    client.get(guides[0].url)
    with django_assert_max_num_queries(INDEX_BUDGET):
        response = client.get("/guides/")
    assert len(_titles(response.content.decode())) == 12
    with django_assert_max_num_queries(INDEX_BUDGET + 1):
        response = client.get(
            "/guides/?categorie=fab-lab&machine=imprimante-3d-prusa-mk4&page=3"
        )
    assert len(_titles(response.content.decode())) == 12
    with django_assert_max_num_queries(GUIDE_BUDGET):
        response = client.get(guides[0].url)
    html = response.content.decode()
    assert "Étape 15" in html
    assert html.count('class="guide-figure__img"') == 15
    # Fifteen illustrated steps cost no more than a single bare one, give or
    # take the one query for their renditions with their images.
    assert (
        _count_queries(client, guides[42].url) <= _count_queries(client, small.url) + 1
    )
    # What a guide asks is compiled once (portal.prepared), none of it
    # built anew by the ORM on each page.
    for prepared in (
        guide_models._machines,
        guide_models._materials,
        guide_models._downloads,
        guide_models._partners,
        guide_models._public_volunteers,
        guide_models._related_paths,
        guide_blocks._step_renditions,
    ):
        assert prepared.shapes()[1] == 0, prepared.__qualname__


def test_home_shows_the_latest_guides_and_links_to_all(client, home_page):
    for number in range(4):
        make_guide(title=f"Guide {number}")
    html = client.get("/").content.decode()
    section = html[html.index("Derniers guides pratiques") :]
    assert "Guide 3" in section and "Guide 0" not in section
    assert 'href="/guides/">Tous les guides pratiques' in section
