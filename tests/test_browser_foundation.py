"""What only a browser shows: keyboard access, layout at phone width, and
axe-core's accessibility rules on the foundation pages."""

import pytest

from tests.axe import axe_violations

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.indexed,
]


def test_skip_link_is_first_and_moves_focus_to_main(browser, home_page):
    page, base = browser
    page.goto(base + "/mentions-legales/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-72px"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/mentions-legales/",
        "/accessibilite/",
        "/recherche/?q=libre",
        "/nexiste-pas/",
    ],
)
def test_pages_pass_axe_wcag_aa(browser, home_page, url):
    page, base = browser
    page.goto(base + url)
    assert axe_violations(page) == []


def test_no_horizontal_scroll_at_320px(browser, home_page):
    page, base = browser
    page.set_viewport_size({"width": 320, "height": 800})
    for url in ("/", "/donnees-personnelles/"):
        page.goto(base + url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, url
