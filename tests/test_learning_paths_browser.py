"""What only a browser shows: progress ticked on a path survives a reload
(localStorage), is announced as text, works with the keyboard, degrades to a
plain list without JavaScript; and axe-core finds nothing on the path page,
the badge request form and the verification page."""

import pytest

from resources.models import LearningPathPage
from tests.axe import axe_violations
from tests.factories.badges import award, create_badge_class, create_path, path_index

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def path_page(home_page, built_once):
    def make():
        badge = create_badge_class(slug="premiers-pas", name="Premiers pas")
        return create_path(
            path_index(home_page), title="Premiers pas", steps=10, badge_class=badge
        )

    return built_once("learning-path", make) or LearningPathPage.objects.get()


def test_progress_survives_a_reload(browser, path_page):
    page, base_url = browser
    page.goto(base_url + path_page.url)
    status = page.locator("#path-progress-text")
    assert status.inner_text() == "0 étape sur 10"
    boxes = page.locator("input[data-step-id]")
    assert boxes.count() == 10
    boxes.nth(0).check()
    assert status.inner_text() == "1 étape sur 10"
    boxes.nth(3).check()
    # The keyboard works too: Tab to the checkbox, Space to tick it.
    boxes.nth(6).focus()
    page.keyboard.press("Space")
    assert status.inner_text() == "3 étapes sur 10"
    assert status.get_attribute("aria-live") == "polite"
    assert page.locator("#path-progress-bar").evaluate("bar => bar.value") == 3

    page.reload()
    boxes = page.locator("input[data-step-id]")
    ticked = [boxes.nth(i).is_checked() for i in range(10)]
    assert ticked == [i in (0, 3, 6) for i in range(10)]
    assert page.locator("#path-progress-text").inner_text() == "3 étapes sur 10"
    assert page.locator("#path-progress-bar").evaluate("bar => bar.value") == 3

    # Nothing left the browser: the progress is only in localStorage.
    stored = page.evaluate(f"localStorage.getItem('parcours:{path_page.pk}')")
    assert len(stored.strip("[]").split(",")) == 3

    page.get_by_role("button", name="Tout décocher").click()
    page.reload()
    assert page.locator("#path-progress-text").inner_text() == "0 étape sur 10"


def test_without_javascript_a_plain_ordered_list(browser, path_page):
    page, base_url = browser
    context = page.context.browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(base_url + path_page.url)
        assert plain.locator("ol.path-steps > li").count() == 10
        assert not plain.locator("#path-progress-bar").is_visible()
        assert not plain.locator("input[data-step-id]").first.is_visible()
    finally:
        context.close()


def test_axe_finds_nothing_on_path_request_and_verification_pages(browser, path_page):
    page, base_url = browser
    assertion = award(path_page.badge_class, show_name=True)
    for url in (
        "/parcours/",
        path_page.url,
        "/badges/premiers-pas/demande/",
        f"/badges/assertions/{assertion.uid}/verifier",
    ):
        page.goto(base_url + url)
        if url == path_page.url:
            page.locator("input[data-step-id]").first.check()
        assert axe_violations(page) == [], url
    # The request form with its errors shown.
    page.goto(base_url + "/badges/premiers-pas/demande/")
    page.get_by_role("button", name="Envoyer ma demande").click()
    # Said in the box above the form, as a link to the message beside the box to tick.
    page.locator("#erreurs").get_by_role("link", name="Sans votre accord").click()
    assert page.evaluate("location.hash") == "#id_consent-erreurs"
    assert (
        page.locator("#id_consent-erreurs")
        .get_by_text("Sans votre accord")
        .is_visible()
    )
    assert axe_violations(page) == []
