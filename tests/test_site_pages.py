"""The public pages of the foundation: French, accessible structure, legal
content, headers, and a query budget that does not grow with content."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/a-propos/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/accessibilite/",
    "/agenda/",
    "/parcours/",
    "/guides/",
    "/benevoles/",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_page_is_french_and_well_structured(client, home_page, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'class="skip-link" href="#contenu"' in html
    assert '<main id="contenu"' in html
    for landmark in ("<header", "<nav", "<footer"):
        assert landmark in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    # Feed readers and calendar apps find the agenda from any page.
    assert 'rel="alternate" type="text/calendar"' in html
    assert 'rel="alternate" type="application/rss+xml"' in html


def test_home_shows_both_partners_in_footer(client, home_page):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert "Médiathèque de Wimille" in footer
    assert "3 rue de Ledinghen" in footer
    assert "62126 Wimille" in footer
    assert "CLX – Club Linux Nord–Pas-de-Calais" in footer
    assert "27 rue Jean Bart" in footer
    assert "59000 Lille" in footer


def test_partner_details_edited_once_show_everywhere(client, home_page):
    from home.models import Partner

    Partner.objects.filter(slug="clx").update(address="12 rue Neuve")
    for url in ("/", "/mentions-legales/"):
        assert "12 rue Neuve" in client.get(url).content.decode()


def test_inner_pages_have_breadcrumbs(client, home_page):
    html = client.get("/mentions-legales/").content.decode()
    assert 'aria-label="Fil d’Ariane"' in html
    assert '<span aria-current="page">Mentions légales</span>' in html


def test_legal_notice_names_publisher_director_host_and_partners(client, home_page):
    from wagtail.models import Site

    from home.models import PortalSettings

    site_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.host_name = "Hébergeur Exemple SAS"
    site_settings.host_address = "1 rue du Serveur, 59000 Lille"
    site_settings.host_phone = "03 20 00 00 00"
    site_settings.save()
    html = client.get("/mentions-legales/").content.decode()
    assert "Directeur de la publication" in html
    assert "Antoine Logie" in html
    assert "Hébergeur Exemple SAS" in html
    assert "1 rue du Serveur, 59000 Lille" in html
    assert "03 20 00 00 00" in html
    assert "Olivier Duquesne" in html
    assert "6-III" in html


def test_privacy_page_covers_what_the_rgpd_asks(client, home_page):
    html = client.get("/donnees-personnelles/").content.decode()
    for heading in (
        "Responsable du traitement",
        "Finalités et bases légales",
        "Durées de conservation",
        "Vos droits",
    ):
        assert heading in html
    assert "donnees-personnelles@mediatheque-wimille.fr" in html
    assert "CNIL" in html


def test_accessibility_statement_follows_the_rgaa_model(client, home_page):
    html = client.get("/accessibilite/").content.decode()
    assert "article 47 de la loi n° 2005-102" in html
    assert "partiellement conforme" in html
    assert "Contenus non accessibles" in html
    assert "Défenseur des droits" in html
    assert "accessibilite@mediatheque-wimille.fr" in html


def test_unknown_url_gets_french_404(client, home_page):
    response = client.get("/cette-page-nexiste-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Page introuvable" in html


def test_sitemap_lists_public_pages(client, home_page):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/mentions-legales/</loc>" in body
    assert "/agenda/</loc>" in body


def test_robots_txt_points_to_sitemap_and_hides_admin(client, home_page):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_api_lists_public_pages(client, home_page):
    response = client.get("/api/v2/pages/?type=home.StandardPage&fields=intro")
    assert response.status_code == 200
    titles = {item["title"] for item in response.json()["items"]}
    assert "Mentions légales" in titles


def test_security_headers_on_public_pages(client, home_page):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert "public" in response["Cache-Control"]
    assert "s-maxage" in response["Cache-Control"]


def test_pages_load_nothing_from_other_origins(client, home_page):
    for url in PUBLIC_URLS:
        html = client.get(url).content.decode()
        for tag in re.findall(r"<(?:link|script|img)[^>]+>", html):
            src = re.search(r'(?:href|src)="([^"]+)"', tag)
            if src:
                assert not src.group(1).startswith(("http://", "https://", "//")), tag


def test_admin_and_forms_are_never_publicly_cached(client, home_page):
    response = client.get("/admin/login/")
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/", "/mentions-legales/", "/a-propos/"])
def test_page_query_budget_does_not_grow_with_content(
    client, home_page, django_assert_max_num_queries, url
):
    from home.models import StandardPage

    client.get(url)  # warm per-process caches (site root paths)
    # 11: the home page's next dates are one LIMIT query on the stored
    # occurrences (they used to come from a cache of every event); the page
    # is routed in two queries, the menu read in one (portal/routing.py).
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200
    about = StandardPage.objects.get(slug="a-propos")
    for i in range(30):
        about.add_child(
            instance=StandardPage(
                title=f"Sous-page {i}", slug=f"sous-page-{i}", body=[]
            )
        )
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200


def test_demo_data_command_runs_twice_and_keeps_changes(client, home_page):
    from home.models import StandardPage

    call_command("load_demo_data", verbosity=0)
    page = StandardPage.objects.get(slug="a-propos")
    page.title = "À propos, revu par la médiathèque"
    page.save_revision().publish()
    call_command("load_demo_data", verbosity=0)
    assert StandardPage.objects.filter(slug="a-propos").count() == 1
    assert "revu par la médiathèque" in client.get("/a-propos/").content.decode()


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_api_does_not_list_the_media_library(client, home_page, endpoint):
    # Volunteers' photos and private documents live in the same library.
    assert client.get(f"/api/v2/{endpoint}/").status_code == 404


# --- Routing: a path leads to its page in two queries (portal/routing.py) ----


def _about(home_page):
    from home.models import StandardPage

    return StandardPage.objects.child_of(home_page).get(slug="a-propos")


def test_a_sub_page_a_draft_and_a_moved_page_are_found_where_they_live(
    client, home_page
):
    from home.models import StandardPage

    about = _about(home_page)
    team = about.add_child(
        instance=StandardPage(title="L'équipe", slug="equipe", body=[])
    )
    draft = about.add_child(
        instance=StandardPage(title="Brouillon", slug="brouillon", body=[], live=False)
    )
    html = client.get("/a-propos/equipe/").content.decode()
    assert "L&#x27;équipe" in html
    crumbs = html.split('aria-label="Fil d’Ariane"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'href="([^"]+)"', crumbs) == ["/", "/a-propos/"]
    assert '<span aria-current="page">L&#x27;équipe</span>' in crumbs
    assert client.get("/a-propos/brouillon/").status_code == 404
    assert client.get("/a-propos/equipe/inconnue/").status_code == 404
    draft.save_revision().publish()
    assert client.get("/a-propos/brouillon/").status_code == 200

    legal = StandardPage.objects.child_of(home_page).get(slug="mentions-legales")
    team.move(legal, pos="last-child")
    moved = client.get("/a-propos/equipe/")  # Wagtail's redirect, made on move
    assert (moved.status_code, moved["Location"]) == (301, "/mentions-legales/equipe/")
    assert client.get("/mentions-legales/equipe/").status_code == 200


def test_a_page_whose_stored_address_is_stale_is_still_found(client, home_page):
    from wagtail.models import Page

    from home.models import StandardPage

    about = _about(home_page)
    about.add_child(instance=StandardPage(title="Plan", slug="plan", body=[]))
    # A page written around Wagtail (a data migration, raw SQL): its
    # url_path no longer says where it is; Wagtail's own routing takes over.
    Page.objects.filter(slug="plan").update(url_path="/ailleurs/plan/")
    assert client.get("/a-propos/plan/").status_code == 200


def test_a_page_under_a_private_section_stays_private(client, home_page):
    from wagtail.models import PageViewRestriction

    from home.models import StandardPage

    about = _about(home_page)
    about.add_child(
        instance=StandardPage(title="Compte rendu du bureau", slug="bureau", body=[])
    )
    PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = client.get("/a-propos/bureau/")
    assert response.status_code == 200  # Wagtail's password form
    assert "Compte rendu du bureau" not in response.content.decode()
    assert 'name="password"' in response.content.decode()
    PageViewRestriction.objects.all().delete()
    PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get("/a-propos/bureau/")
    assert response.status_code == 302
    assert "/a-propos/bureau/" in response["Location"]


def test_an_event_page_leads_back_to_its_agenda(client, agenda):
    from tests.factories.events import create_event

    event = create_event(agenda, title="Atelier vélo")
    html = client.get(event.url).content.decode()
    assert 'aria-label="Fil d’Ariane"' in html
    assert html.count('href="/agenda/"') >= 2  # breadcrumbs, « Retour à l'agenda »
