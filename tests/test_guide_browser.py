"""What only a browser shows on the guides: axe-core's rules, no sideways
scrolling on a phone, the print button and the printed layout."""

import pytest

from tests.axe import axe_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def demo_guides(home_page, built_once):
    from resources.demo import guides

    built_once("demo-guides", lambda: guides.load(home_page))
    return "/guides/imprimer-une-piece-en-3d-pla/"


@pytest.mark.parametrize(
    "url",
    [
        "/guides/",
        "/guides/?categorie=fab-lab&difficulte=2",
        "/guides/?machine=nexiste-pas",
        "/guides/imprimer-une-piece-en-3d-pla/",
        "/guides/installer-linux-ordinateur-ancien/",
    ],
)
def test_guide_pages_pass_axe(browser, demo_guides, url):
    page, base = browser
    page.goto(base + url)
    assert axe_violations(page) == []


def test_no_horizontal_scroll_at_375px(browser, demo_guides):
    page, base = browser
    page.set_viewport_size({"width": 375, "height": 800})
    for url in (
        "/guides/",
        "/guides/imprimer-une-piece-en-3d-pla/",
        "/guides/installer-linux-ordinateur-ancien/",
        "/guides/creer-son-compte-service-public/",
    ):
        page.goto(base + url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, url


def test_print_button_appears_with_javascript_and_prints(browser, demo_guides):
    page, base = browser
    page.goto(base + demo_guides)
    button = page.get_by_role("button", name="Imprimer ce guide")
    assert button.is_visible()
    assert not page.locator("[data-print-hint]").is_visible()
    # Record the call instead of opening the browser's print dialog.
    page.evaluate(
        "() => { window.__printed = 0; window.print = () => { window.__printed++; }; }"
    )
    button.click()
    assert page.evaluate("window.__printed") == 1


def test_printed_guide_has_no_navigation_and_spells_out_links(browser, demo_guides):
    page, base = browser
    page.goto(base + demo_guides)
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("button", name="Imprimer ce guide").is_visible()
    assert page.locator(".guide__source").is_visible()
    download_after = page.evaluate(
        "getComputedStyle(document.querySelector('.guide-downloads a'), '::after')"
        ".content"
    )
    assert "/documents/" in download_after and "http" in download_after
    widths = page.evaluate(
        "[...document.querySelectorAll('.guide-figure__img')]"
        ".map(img => img.getBoundingClientRect().height)"
    )
    # Images fit on paper: at most 8 cm (about 302 CSS pixels) high.
    assert widths and max(widths) <= 303
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
