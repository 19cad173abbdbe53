"""The CLX editor's journey in a real browser: a draft submitted, rejected
with a comment, fixed, submitted again, approved, live; the e-mails of each
step checked in the outbox. Screenshots go to tmp/screenshots/."""

import pytest
from django.core import mail

from portal import roles
from tests.admin_forms import PASSWORD
from tests.browser_helpers import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    from django.conf import settings

    folder = settings.BASE_DIR / "tmp" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"workflow-{name}.png"), full_page=True)


def _wait_for_mail(page, count=1):
    """The admin posts workflow actions in the background: wait for the mail."""
    for _ in range(100):
        if len(mail.outbox) >= count:
            break
        page.wait_for_timeout(100)
    # The mail leaves while the POST is handled; let its redirect finish
    # before the next navigation, or Chromium reports it as interrupted.
    page.wait_for_load_state("networkidle")


def _dashboard_action(page, event, action):
    """Open the « … » menu of the event's row on the dashboard, pick `action`."""
    row = page.locator("tr", has_text=event.title).first
    row.get_by_role("button", name="Actions").click()
    page.locator(
        f"[data-workflow-action-url*='/workflow/action/{event.pk}/{action}/']:visible"
    ).first.click()


def _submit_from_editor(page, base_url, event):
    page.goto(f"{base_url}/admin/pages/{event.pk}/edit/")
    page.click("[data-w-dropdown-target='toggle'] >> nth=-1")
    page.click("button[name=action-submit]")
    page.wait_for_load_state()


def test_clx_editor_journey_in_the_browser(browser, portal_roles, make_event):
    page, base_url = browser
    clx = portal_roles(roles.CLX_EDITORS)
    moderator = portal_roles(roles.MODERATION)
    event = make_event("Install party de printemps", owner=clx, live=False)

    # The CLX editor submits their draft from the editor.
    page.wait_for_load_state("networkidle")
    admin_login(page, base_url, clx.username, PASSWORD)
    _submit_from_editor(page, base_url, event)
    event.refresh_from_db()
    assert event.workflow_in_progress
    assert [m.to for m in mail.outbox] == [[moderator.email]]
    _shot(page, "1-soumis")

    # The moderator rejects it from their dashboard, with a comment.
    mail.outbox.clear()
    page.wait_for_load_state("networkidle")
    admin_login(page, base_url, moderator.username, PASSWORD)
    assert page.get_by_text("Install party de printemps").first.is_visible()
    _shot(page, "2-tableau-de-bord-moderation")
    _dashboard_action(page, event, "reject")
    page.fill("textarea[name=comment]", "Indiquez ce qu'il faut apporter.")
    page.click(".modal button[type=submit]")
    _wait_for_mail(page)
    event.refresh_from_db()
    assert not event.live
    assert [m.to for m in mail.outbox] == [[clx.email]]
    assert "Indiquez ce qu'il faut apporter." in mail.outbox[0].body

    # The author sees the request on their dashboard, fixes and resubmits.
    mail.outbox.clear()
    page.wait_for_load_state("networkidle")
    admin_login(page, base_url, clx.username, PASSWORD)
    assert page.get_by_text("Modifications demandées").first.is_visible()
    _shot(page, "3-tableau-de-bord-clx")
    page.goto(f"{base_url}/admin/pages/{event.pk}/edit/")
    page.fill("textarea[name=summary]", "Apportez votre ordinateur et son chargeur.")
    page.click("[data-w-dropdown-target='toggle'] >> nth=-1")
    page.click("button[name=action-submit]")
    _wait_for_mail(page)
    assert [m.to for m in mail.outbox] == [[moderator.email]]

    # The moderator approves: the page is live and the author told.
    mail.outbox.clear()
    page.wait_for_load_state("networkidle")
    admin_login(page, base_url, moderator.username, PASSWORD)
    _dashboard_action(page, event, "approve")
    modal_submit = page.locator(".modal button[type=submit]")
    if modal_submit.count():
        modal_submit.click()
    _wait_for_mail(page)
    event.refresh_from_db()
    assert event.live
    assert event.summary == "Apportez votre ordinateur et son chargeur."
    assert [m.to for m in mail.outbox] == [[clx.email]]
    page.goto(f"{base_url}{event.url}")
    assert "Install party de printemps" in page.content()
    _shot(page, "4-en-ligne")
