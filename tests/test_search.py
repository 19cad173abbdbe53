"""Site search at /recherche/: results, and bad queries that get a message."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]


def test_search_finds_pages(client, home_page):
    response = client.get("/recherche/", {"q": "logiciels libres"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "À propos de l&#x27;atelier" in html or "Mentions légales" in html
    assert "résultat" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Saisissez un ou plusieurs mots"),
        ("<em></em> <br>", "aucun mot utilisable"),
        ("libre " * 400, "seuls les 200 premiers caractères"),
    ],
)
def test_bad_queries_get_a_normal_page_with_a_message(
    client, home_page, query, message
):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<script>alert(1)" not in html


def test_script_in_the_query_is_never_echoed_as_markup(client, home_page):
    response = client.get("/recherche/", {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_markup_is_stripped_from_the_query(client, home_page):
    response = client.get("/recherche/", {"q": "<b>atelier</b>"})
    assert response.status_code == 200
    assert "&lt;b&gt;" not in response.content.decode()
    assert "« atelier »" in response.content.decode()


def test_search_page_out_of_range_shows_last_page(client, home_page):
    response = client.get("/recherche/", {"q": "atelier", "page": "999"})
    assert response.status_code == 200
    results = response.context["results"]
    assert results.number == results.paginator.num_pages
    html = response.content.decode()
    assert "pour « atelier »" in html
    assert "Page 999" not in html


def test_unpublished_pages_are_not_found(client, home_page):
    from home.models import StandardPage

    page = StandardPage.objects.get(slug="a-propos")
    page.unpublish()
    html = client.get("/recherche/", {"q": "illectronisme"}).content.decode()
    assert "À propos de l" not in html.split("<main", 1)[1].split("<footer", 1)[0]


def test_search_query_budget_does_not_grow_with_results(
    client, home_page, django_assert_max_num_queries
):
    from home.models import StandardPage

    about = StandardPage.objects.get(slug="a-propos")
    for i in range(40):
        about.add_child(
            instance=StandardPage(
                title=f"Atelier logiciel libre n° {i}", slug=f"atelier-{i}", body=[]
            )
        )
    client.get("/recherche/", {"q": "atelier"})  # warm per-process caches
    # +2: the bounded search log checks its size (portal.views._log_query).
    with django_assert_max_num_queries(15):
        response = client.get("/recherche/", {"q": "atelier"})
    assert "résultats pour « atelier »" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ['=HYPERLINK("http://evil.example")', '"atelier', "titre:atelier*", "(atelier"],
)
def test_search_syntax_in_the_query_is_read_as_plain_words(client, home_page, query):
    # Quotes, colons, stars and brackets are the search engine's own syntax
    # (on SQLite, `"x` or `a("b:c")` made the page fail with a 500).
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    assert "aucun mot utilisable" not in response.content.decode()


def test_a_query_of_punctuation_only_has_no_usable_word(client, home_page):
    response = client.get("/recherche/", {"q": '"*:()'})
    assert response.status_code == 200
    assert "aucun mot utilisable" in response.content.decode()
