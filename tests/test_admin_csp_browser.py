"""The Wagtail admin under its own Content-Security-Policy, in a real browser:
an administrator logs in, reads the dashboard, walks the page explorer, edits
an event (Draftail loads, a StreamField block is added, the date picker and
the image chooser open, the preview panel shows the page), uploads an image,
lists snippets, and sees the userbar on the public page; the browser reports
no CSP violation anywhere (console errors and `securitypolicyviolation`
events of every frame)."""

import json
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from events.models import EventPage
from portal.demo import DEMO_PASSWORD
from tests.factories.badges import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs first in every document, the preview iframe included: every
# violation goes to the top window's list.
COLLECT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    (window.top.__cspViolations || window.__cspViolations).push(
        [event.effectiveDirective, event.blockedURI, event.sourceFile,
         event.lineNumber, event.sample].join(" | ")
    );
});
"""


class Violations:
    """What the browser refused, page after page."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(COLLECT)
        page.on("console", self._console)

    def _console(self, message):
        if re.search(r"Content[ -]Security[ -]Policy", message.text):
            self.console.append(message.text)

    def take(self):
        events = self.page.evaluate("window.__cspViolations || []")
        self.page.evaluate("window.__cspViolations = []")
        found, self.console = self.console + events, []
        return found


def test_the_admin_works_under_its_csp_without_any_violation(
    browser, demo_data, tmp_path, settings
):
    # Fewer concurrent requests (editing-session pings, preview updates at
    # each keystroke): the live server's in-memory SQLite answers « table is
    # locked » to them. The preview then has a « Rafraîchir » button.
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10 * 60 * 1000
    settings.WAGTAIL_AUTO_UPDATE_PREVIEW = False
    page, base_url = browser
    violations = Violations(page)
    seen = {}

    def settle(step):
        # Whatever the browser refused by now is counted; the preview panel
        # and the editing-session pings may keep the network from ever being
        # idle on a loaded machine, so idle is waited for, not required.
        try:
            page.wait_for_load_state("networkidle", timeout=10_000)
        except PlaywrightTimeoutError:
            page.wait_for_timeout(500)
        seen[step] = violations.take()

    page.goto(f"{base_url}/admin/login/")
    settle("login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")
    settle("dashboard")

    event = EventPage.objects.live().order_by("pk").first()
    page.goto(f"{base_url}/admin/pages/{event.get_parent().pk}/")
    assert event.title in page.locator("main").inner_text()
    settle("page explorer")

    page.goto(f"{base_url}/admin/pages/{event.pk}/edit/")
    page.wait_for_selector(".Draftail-Editor", state="attached")
    settle("edit page")

    editors = page.locator(".Draftail-Editor").count()
    page.locator("[data-contentpath=body] button.c-sf-add-button").first.click()
    page.get_by_role("option", name="Paragraphe").first.click()
    page.wait_for_function(  # a function, not a string: eval() is refused
        "(n) => document.querySelectorAll('.Draftail-Editor').length > n", arg=editors
    )
    page.locator("[data-contentpath=body] [contenteditable=true]").first.click()
    page.keyboard.type("Un paragraphe tapé dans Draftail.")
    assert (
        "Un paragraphe tapé dans Draftail."
        in page.locator("[data-contentpath=body]").inner_text()
    )
    settle("StreamField block")

    page.click("#id_start")
    page.wait_for_selector(".xdsoft_datetimepicker >> visible=true")
    page.keyboard.press("Escape")
    page.click("#id_title")
    settle("date picker")

    page.locator("#id_image-chooser [data-chooser-action-choose]").click()
    page.wait_for_selector(".modal-content [data-chooser-modal-choice]")
    page.locator(".modal-content [data-chooser-modal-choice]").first.click()
    page.wait_for_selector("#id_image-chooser:not(.blank) img", state="attached")
    settle("image chooser")

    page.locator('button[data-side-panel-toggle="preview"]').click()
    # Wagtail swaps in a fresh iframe at each refresh: the last one counts.
    iframe = page.frame_locator("iframe[data-w-preview-target=iframe]").last
    heading = iframe.locator("h1").first
    for _attempt in range(4):
        heading.wait_for()
        if event.title in heading.inner_text():
            break
        # « Une erreur s'est produite »: the in-memory test database refused
        # a concurrent read (« table is locked »).
        page.wait_for_timeout(1000)
        page.locator(".w-preview__refresh-button").click()
    assert event.title in heading.inner_text()
    settle("preview panel")

    upload = tmp_path / "atelier.png"
    upload.write_bytes(png_bytes(64, 64, "PNG"))
    page.goto(f"{base_url}/admin/images/multiple/add/")
    page.set_input_files("#fileupload", str(upload))
    page.wait_for_selector(".upload-list .upload-success, .upload-list form")
    settle("image upload")

    page.goto(f"{base_url}/admin/images/")
    page.locator("main a[href*='/admin/images/'][href$='/']").filter(
        has=page.locator("img")
    ).first.click()
    page.wait_for_selector(".focal-point-chooser img >> visible=true")
    settle("image edit (focal point)")

    page.goto(f"{base_url}/admin/snippets/home/partner/")
    assert "Médiathèque de Wimille" in page.locator("main").inner_text()
    settle("snippet listing")

    page.goto(f"{base_url}/admin/aide/")
    settle("portal's guide")

    page.goto(f"{base_url}/django-admin/")
    settle("Django admin")

    page.goto(base_url + event.url)
    page.locator("wagtail-userbar button").first.click()
    page.locator("wagtail-userbar [role=menu]").wait_for()
    settle("userbar")

    refused = {step: found for step, found in seen.items() if found}
    assert not refused, json.dumps(refused, indent=1, ensure_ascii=False)
