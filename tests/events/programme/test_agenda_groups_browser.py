"""The home page and the agenda « par événement » / « par date » as a
visitor sees them on the demo, in Chromium at 1280 and 375 px: axe-core's
WCAG 2.1 AA rules, no horizontal scroll, the toggle and the permanence's
link with the keyboard. Screenshots go to $AGENDA_SCREENSHOTS when set."""

import os
from pathlib import Path

import pytest

from tests.axe import axe_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOTS = os.environ.get("AGENDA_SCREENSHOTS")


@pytest.mark.parametrize(
    ("name", "url"),
    [("accueil", "/"), ("agenda", "/agenda/"), ("agenda-dates", "/agenda/?vue=dates")],
)
def test_grouped_pages_pass_axe_at_both_widths(browser, demo_data, name, url):
    page, base = browser
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + url)
        assert axe_violations(page) == [], (url, width)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, (url, width)
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SCREENSHOTS}/{name}-{width}.png", full_page=True)


def test_switch_views_and_book_from_the_home_page(browser, demo_data):
    page, base = browser
    page.goto(base + "/agenda/")
    cards = page.locator(".event-list article .card__title").all_inner_texts()
    assert len(cards) == len(set(cards)) >= 3
    toggle = page.get_by_role("link", name="Par date")
    toggle.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/agenda/?vue=dates")
    assert page.get_by_role("link", name="Par date").get_attribute("aria-current")
    dates = page.locator(".event-list .card__title").all_inner_texts()
    assert len(dates) > len(set(dates))  # the weekly permanence, date by date

    page.goto(base + "/")
    home = page.locator(".home-events article .card__title").all_inner_texts()
    assert len(set(home)) >= 3
    permanence = page.get_by_role("region", name="Prochaine permanence d'assistance")
    permanence.get_by_role("link", name="Prendre rendez-vous").click()
    assert page.locator("h1").inner_text().startswith("Prendre rendez-vous")
    assert page.locator("input[name=slot]:not([disabled])").count() > 0


def test_a_mouse_click_on_a_link_inside_a_card_follows_that_link(browser, demo_data):
    """The card's title stretches its link over the whole card; the other
    links of the card (« prendre rendez-vous », « s'inscrire ») must stay
    above it, or a click on them opens the event page instead."""
    page, base = browser
    page.set_viewport_size({"width": 1280, "height": 900})
    for url in ("/", "/agenda/"):
        page.goto(base + url)
        card = page.locator("article.card", has=page.locator(".event-group__places a"))
        inner = card.first.locator(".event-group__places a").first
        target = inner.get_attribute("href")
        inner.click(timeout=5000)
        page.wait_for_load_state()
        assert page.url.split("#")[0] == base + target.split("#")[0], url
    page.goto(base + "/")
    card = page.locator(".home-events article.card").first
    title = card.locator(".card__title a").get_attribute("href")
    box = card.bounding_box()
    with page.expect_navigation():  # the rest of the card still opens the event
        card.click(position={"x": box["width"] - 8, "y": box["height"] - 8})
    assert page.url == base + title
