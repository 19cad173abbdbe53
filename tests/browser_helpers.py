"""What the browser tests do as a person does: sign in to the admin, type a
date into Wagtail's date picker and close it."""

from playwright.sync_api import Error as PlaywrightError

from portal.demo import DEMO_PASSWORD


def admin_login(page, base_url, username, password=DEMO_PASSWORD):
    """Sign in at /admin/login/ as `username`, after signing out of any
    other account (a fresh set of cookies)."""
    page.context.clear_cookies()
    try:
        page.goto(f"{base_url}/admin/login/")
    except PlaywrightError as error:
        # The previous step's page may still be moving on by itself (the
        # workflow modal posts, then sends the page to its redirect): that
        # navigation took over ours. Let it end, then ask again.
        if "ERR_ABORTED" not in str(error):
            raise
        page.wait_for_load_state()
        page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def fill_date(page, selector, value):
    """Type a date and time into a Wagtail date field, then close its
    picker with Tab, as a keyboard user does (Escape leaves it open). The
    picker opens 100 ms after the field takes focus: closing it before it
    has opened would let it open later, over the buttons, on a busy
    machine. Tab may open the next field's own picker: only this field's
    is waited for."""
    page.fill(selector, value)
    picker = page.locator(".xdsoft_datetimepicker >> visible=true")
    picker.wait_for()
    own = picker.element_handle()
    page.keyboard.press("Tab")
    own.wait_for_element_state("hidden")
