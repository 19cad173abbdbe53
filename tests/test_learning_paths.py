"""Learning paths as a visitor sees them: the list with its level filter,
a path with its ordered steps and links, the badge at the end, a plain
ordered list without JavaScript, and a fixed query budget with 50 paths of
10 steps."""

import re

import pytest
from wagtail.models import Page

from resources.models import LearningPathPage
from tests.factories.badges import create_badge_class, create_path, path_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home_page):
    return path_index(home_page)


def test_path_page_shows_ordered_steps_and_links(client, index, home_page):
    guide_like = Page.objects.get(slug="a-propos")  # any live page of the site
    badge = create_badge_class(slug="premiers-pas", name="Premiers pas")
    path = create_path(
        index, title="Premiers pas", steps=3, badge_class=badge, linked_page=guide_like
    )
    response = client.get(path.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r"<h1[ >]", html)) == 1
    steps = re.findall(r'<li class="path-step" id="etape-(\d+)">', html)
    assert len(steps) == 3
    assert html.index("Étape 1") < html.index("Étape 2") < html.index("Étape 3")
    assert '<a href="/a-propos/">' in html  # step linked to a page of the site
    assert 'href="https://exemple.org/" rel="noopener">Ressource</a>' in html
    assert "(site extérieur)" in html
    assert "Débutant" in html and "1 h 30" in html
    assert 'href="/badges/premiers-pas/demande/"' in html


def test_without_javascript_the_steps_are_a_plain_ordered_list(client, index):
    path = create_path(index, steps=4)
    html = client.get(path.url).content.decode()
    assert '<ol class="path-steps">' in html
    # Progress bar and checkboxes only appear once the script has run.
    assert re.search(r'<div class="path-progress"[^>]*\bhidden\b', html, re.S)
    assert html.count("data-step-check hidden") == 4
    assert "<script src=" in html and "path-progress.js" in html
    assert "<script>" not in html  # CSP: no inline script
    assert 'aria-live="polite"' in html
    assert "0 étape sur 4" in html


def test_index_lists_paths_and_filters_by_level(client, index):
    create_path(index, title="Pour débuter", level=LearningPathPage.Level.BEGINNER)
    create_path(index, title="Pour aller loin", level=LearningPathPage.Level.ADVANCED)
    html = client.get("/parcours/").content.decode()
    assert "Pour débuter" in html and "Pour aller loin" in html
    html = client.get("/parcours/?niveau=avance").content.decode()
    assert "Pour aller loin" in html and "Pour débuter" not in html
    assert '<option value="avance" selected>' in html
    # An unknown level is ignored, not an error.
    response = client.get("/parcours/?niveau=%3Cscript%3E")
    assert response.status_code == 200
    assert "Pour débuter" in response.content.decode()


def test_draft_paths_are_not_listed(client, index):
    path = create_path(index, title="Brouillon secret")
    path.unpublish()
    assert "Brouillon secret" not in client.get("/parcours/").content.decode()
    assert client.get("/parcours/" + path.slug + "/").status_code == 404


def test_home_features_paths(client, index):
    create_path(index, title="Parcours mis en avant")
    html = client.get("/").content.decode()
    assert "Apprendre à son rythme" in html
    assert "Parcours mis en avant" in html


@pytest.fixture
def many_paths(index):
    badge = create_badge_class(slug="beaucoup")
    guide_like = Page.objects.get(slug="a-propos")
    paths = [
        create_path(
            index, steps=10, badge_class=badge, linked_page=guide_like, publish=False
        )
        for _ in range(50)
    ]
    return paths


def test_query_budget_with_50_paths_of_10_steps(
    client, many_paths, django_assert_max_num_queries
):
    client.get("/parcours/")  # warm up: settings rows and renditions
    client.get(many_paths[-1].url)
    with django_assert_max_num_queries(11) as listing:
        response = client.get("/parcours/")
    assert response.content.decode().count('<li class="card">') == 50
    with django_assert_max_num_queries(11) as one_path:
        response = client.get(many_paths[-1].url)
    assert response.content.decode().count('class="path-step"') == 10
    print(f"queries: /parcours/ {len(listing)}, path page {len(one_path)}")
    # The home page also shows events and guides (other apps): a looser budget
    # that still proves the featured paths do not grow with content.
    client.get("/")
    with django_assert_max_num_queries(28):
        client.get("/")


def test_home_leaves_out_restricted_paths(client, index):
    from wagtail.models import PageViewRestriction

    create_path(index, title="Parcours ouvert")
    hidden = create_path(index, title="Parcours réservé")
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="x" * 12
    )
    html = client.get("/").content.decode()
    assert "Parcours ouvert" in html
    assert "Parcours réservé" not in html


def test_preview_shows_the_steps_being_edited_not_the_stored_ones(client, index):
    from tests.factories.badges import path_step

    path = create_path(
        index, title="Parcours vélo", steps=[path_step(0, "Gonfler", "Le pneu.")]
    )
    edited = LearningPathPage.objects.get(pk=path.pk)
    edited.steps = [path_step(0, "Changer la chambre à air", "Démonter la roue.")]
    response = edited.make_preview_request()
    response.render()
    html = response.content.decode()
    assert "Changer la chambre à air" in html and "Gonfler" not in html
    html = client.get(path.url).content.decode()
    assert "Gonfler" in html and "Changer la chambre à air" not in html
