"""What only a browser shows on the directory: axe-core's WCAG rules, the
skill filter used with the keyboard, no horizontal scroll on a phone."""

import pytest

from tests.axe import axe_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def directory(home_page, built_once):
    from volunteers import demo

    built_once("volunteer-directory", lambda: demo.load(home_page))


@pytest.mark.parametrize("url", ["/benevoles/", "/benevoles/?competence=linux"])
def test_directory_passes_axe(browser, directory, url):
    page, base = browser
    page.goto(base + url)
    assert axe_violations(page) == []


def test_contact_form_passes_axe_and_shows_errors_by_field(browser, directory):
    page, base = browser
    page.goto(base + "/benevoles/")
    page.get_by_role("link", name="Contacter Exemple – Camille L.").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Contacter")
    assert axe_violations(page) == []
    page.get_by_label("Votre nom").fill("Jean")
    page.get_by_label("Votre adresse e-mail").fill("jean@exemple.invalid")
    page.get_by_label("Votre message").fill("Regardez https://spam.example vite")
    page.get_by_role("button", name="Envoyer le message").click()
    # The form is sent to the server: wait for the answer before reading it.
    page.wait_for_selector("text=Les liens ne sont pas acceptés")
    assert "Les liens ne sont pas acceptés" in page.content()
    assert page.get_by_label("Votre nom").input_value() == "Jean"
    assert axe_violations(page) == []


def test_filter_by_skill_with_the_keyboard(browser, directory):
    page, base = browser
    page.goto(base + "/benevoles/")
    page.get_by_label("Compétence").select_option(label="Impression 3D")
    page.get_by_role("button", name="Filtrer").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**competence=impression-3d")
    names = page.locator(".volunteer-card__name").all_inner_texts()
    assert names == ["Exemple – Dominique"]


def test_no_horizontal_scroll_at_320px(browser, directory):
    page, base = browser
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(base + "/benevoles/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
