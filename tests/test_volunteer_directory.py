"""The public directory at /benevoles/: exactly the consenting volunteers with
a current, countersigned charter; only consented fields; no private data on
any page, search result or API answer; a fixed query budget."""

import datetime

import pytest

from tests.factories.volunteers import (
    ALL_CONSENTS,
    CharterVersionFactory,
    VolunteerFactory,
    listed_volunteer,
)
from volunteers.models import CharterSignature

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]


@pytest.fixture
def charter_2026(home_page):
    return CharterVersionFactory(
        label="Charte 2026", effective_date=datetime.date(2026, 1, 15)
    )


def _names(html):
    import re

    return set(re.findall(r'class="card__title volunteer-card__name">([^<]+)<', html))


def test_directory_lists_exactly_current_active_published_volunteers(
    client, charter_2026
):
    old = CharterVersionFactory(
        label="Charte 2025", effective_date=datetime.date(2025, 1, 1)
    )
    listed_volunteer(charter_2026, display_name="À jour")
    listed_volunteer(old, display_name="Ancienne charte")
    VolunteerFactory(display_name="Jamais signé", consents=ALL_CONSENTS)
    listed_volunteer(charter_2026, display_name="Inactif", active=False)
    listed_volunteer(charter_2026, display_name="Brouillon", live=False)
    pending = VolunteerFactory(display_name="Non contresigné", consents=ALL_CONSENTS)
    CharterSignature.objects.create(
        volunteer=pending, version=charter_2026, signed_on=datetime.date(2026, 2, 1)
    )

    response = client.get("/benevoles/")

    assert response.status_code == 200
    assert _names(response.content.decode()) == {"À jour"}


def test_new_charter_version_sends_everyone_to_renew(client, charter_2026):
    listed_volunteer(charter_2026, display_name="Camille")
    assert "Camille" in _names(client.get("/benevoles/").content.decode())

    CharterVersionFactory(label="Charte 2027", effective_date=datetime.date(2027, 1, 1))

    assert _names(client.get("/benevoles/").content.decode()) == set()
    from volunteers.models import Volunteer

    assert Volunteer.objects.with_charter_status().get().charter_status_label == (
        "à renouveler"
    )


def test_unpublished_new_version_changes_nothing(client, charter_2026):
    listed_volunteer(charter_2026, display_name="Camille")
    CharterVersionFactory(
        label="Brouillon 2027",
        effective_date=datetime.date(2027, 1, 1),
        published=False,
    )
    assert _names(client.get("/benevoles/").content.decode()) == {"Camille"}


def test_only_consented_fields_are_shown(client, charter_2026):
    VolunteerFactory(
        display_name="Discrète",
        bio="Une présentation secrète",
        languages="occitan",
        availability="le jeudi soir",
        skills=["Cryptographie"],
        signed=charter_2026,
        show_skills=True,
    )
    html = client.get("/benevoles/").content.decode()
    assert "Discrète" in html
    assert "Cryptographie" in html
    assert "Une présentation secrète" not in html
    assert "occitan" not in html
    assert "le jeudi soir" not in html
    assert "Contacter" not in html


def test_skill_filter_without_javascript(client, charter_2026):
    listed_volunteer(charter_2026, display_name="Linuxienne", skills=["Linux"])
    listed_volunteer(charter_2026, display_name="Imprimeur", skills=["Impression 3D"])
    # A skill kept private is neither offered nor usable as a filter.
    VolunteerFactory(
        display_name="Secrète",
        skills=["Linux", "Espionnage"],
        signed=charter_2026,
        consents={**ALL_CONSENTS, "show_skills": False},
    )
    html = client.get("/benevoles/").content.decode()
    assert 'value="linux"' in html
    assert "Espionnage" not in html

    html = client.get("/benevoles/?competence=linux").content.decode()
    assert _names(html) == {"Linuxienne"}

    response = client.get("/benevoles/?competence=espionnage")
    assert response.status_code == 200
    assert _names(response.content.decode()) == set()
    assert "Cette compétence n'est pas dans l'annuaire." in response.content.decode()


def test_no_private_data_anywhere_public(client, charter_2026):
    volunteer = listed_volunteer(
        charter_2026,
        display_name="Publique",
        first_name="Hortense",
        last_name="Confidentielle",
        email="hortense.privee@exemple.invalid",
        phone="06 98 76 54 32",
        skills=["Linux"],
    )
    volunteer.save_revision().publish()
    secrets = [
        "hortense.privee",
        "06 98 76 54 32",
        "0698765432",
        "Confidentielle",
        "Hortense",
    ]
    urls = [
        "/",
        "/benevoles/",
        "/benevoles/?competence=linux",
        f"/benevoles/{volunteer.pk}/contacter/",
        "/api/v2/pages/?type=volunteers.VolunteerIndexPage&fields=*",
        "/api/v2/pages/?fields=*",
        "/recherche/?q=Publique",
        "/recherche/?q=Confidentielle",
        "/recherche/?q=hortense.privee%40exemple.invalid",
        "/sitemap.xml",
    ]
    from volunteers.models import VolunteerIndexPage

    index = VolunteerIndexPage.objects.get()
    urls.append(f"/api/v2/pages/{index.pk}/")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        if url.startswith("/recherche/"):
            # The search page echoes the words searched for; nothing else may
            # mention the volunteer's private data.
            from urllib.parse import parse_qs, urlparse

            query = parse_qs(urlparse(url).query)["q"][0]
            body = body.replace(query, "")
        for secret in secrets:
            assert secret not in body, (url, secret)


def test_api_exposes_only_the_intro(client, charter_2026):
    from volunteers.models import VolunteerIndexPage

    index = VolunteerIndexPage.objects.get()
    data = client.get(f"/api/v2/pages/{index.pk}/").json()
    assert data["intro"]
    assert "volunteers" not in data


# The site's frame (site, routing, breadcrumbs, menu, footer) costs 8; the
# directory adds skills, count, volunteers, their skills, photos, renditions.
BUDGET = 14


def test_query_budget_with_many_volunteers(
    client, charter_2026, django_assert_max_num_queries
):
    from wagtail_factories import ImageFactory

    for n in range(60):
        listed_volunteer(
            charter_2026,
            skills=["Linux", f"Compétence {n % 7}"],
            photo=ImageFactory() if n % 3 == 0 else None,
        )
    # Warm the site and settings caches, and create the renditions once.
    client.get("/benevoles/")
    client.get("/benevoles/?competence=linux&page=2")
    with django_assert_max_num_queries(BUDGET):
        response = client.get("/benevoles/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="card volunteer-card"') == 24
    assert html.count('class="volunteer-card__photo"') == 8
    with django_assert_max_num_queries(BUDGET):
        assert client.get("/benevoles/?competence=linux&page=2").status_code == 200


def test_out_of_range_page_is_not_an_error(client, charter_2026):
    listed_volunteer(charter_2026)
    assert client.get("/benevoles/?page=999").status_code == 200
    assert client.get("/benevoles/?page=abc").status_code == 200
