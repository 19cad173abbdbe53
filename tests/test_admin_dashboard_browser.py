"""The admin home and the portal's guide in a real browser, as each demo role:
what the role may act on is there, and axe-core finds nothing."""

import pytest

from tests.axe import axe_violations
from tests.browser_helpers import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = {
    "moderation": ["Que voulez-vous faire ?", "Demandes de salle à décider"],
    "redaction": ["Proposer un événement", "Prochaines dates : remplissage"],
    "clx-redaction": ["Proposer un événement", "Demander la salle"],
    "clx-coordination": ["Demander la salle", "accord de CLX attendu"],
}


def test_dashboards_and_guide_pages_pass_axe(browser, demo_data):
    page, base_url = browser
    for username, expected in ROLES.items():
        admin_login(page, base_url, username)
        text = page.locator("main").inner_text()
        for words in expected:
            assert words in text, (username, words)
        assert axe_violations(page) == [], username
        page.goto(f"{base_url}/admin/aide/")
        assert "Pour votre rôle" in page.locator("main").inner_text()
        assert axe_violations(page) == [], (username, "aide")
        page.locator("main .portal-help-list a").first.click()
        page.wait_for_load_state()
        assert axe_violations(page) == [], (username, page.url)


def test_quick_action_opens_a_working_form_by_keyboard(browser, demo_data):
    page, base_url = browser
    admin_login(page, base_url, "clx-redaction")
    link = page.get_by_role("link", name="Proposer un événement")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/admin/pages/add/events/eventpage/" in page.url
    assert page.locator("#id_title").count() == 1
