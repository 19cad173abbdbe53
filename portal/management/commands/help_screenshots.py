"""Refresh the screenshots of the portal's guide (« Aide » menu).

Drives Debian's headless Chromium (Playwright) through a running demo site —
`make run` in another terminal — logged in as the demo accounts, and writes
one PNG per shot into `portal/static/portal/help/`. Run it again whenever the
admin changes, then commit the images.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from playwright.sync_api import sync_playwright

from events.models import EventPage
from portal.demo import DEMO_PASSWORD

OUTPUT = Path(__file__).resolve().parents[2] / "static" / "portal" / "help"
CHROMIUM = "/usr/bin/chromium"


def _first_recurring_event_edit():
    event = EventPage.objects.exclude(recurrence="").order_by("pk").first()
    if event is None:
        raise CommandError("Aucun événement récurrent : chargez la démo d'abord.")
    return reverse("wagtailadmin_pages:edit", args=[event.pk])


# (file name, account, URL or callable giving it, CSS selector to clip or None)
SHOTS = [
    ("tableau-de-bord-clx.png", "clx-redaction", "/admin/", None),
    ("tableau-de-bord-moderation.png", "moderation", "/admin/", None),
    (
        "evenement-dates.png",
        "redaction",
        _first_recurring_event_edit,
        "#panel-child-contenu-prochaines_dates-section",
    ),
    (
        "evenement-repetition.png",
        "redaction",
        _first_recurring_event_edit,
        "#panel-child-contenu-date_et_repetition-section",
    ),
    ("aide.png", "clx-redaction", "/admin/aide/", None),
]


class Command(BaseCommand):
    help = "Refait les captures d'écran du guide du portail depuis le site de démo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Adresse du site de démonstration lancé par « make run ».",
        )

    def handle(self, *args, base_url, **options):
        OUTPUT.mkdir(parents=True, exist_ok=True)
        # Database look-ups first: Playwright's loop makes the ORM refuse.
        shots = [
            (name, account, target() if callable(target) else target, selector)
            for name, account, target, selector in SHOTS
        ]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            try:
                for name, account, url, selector in shots:
                    path = OUTPUT / name
                    self._shoot(browser, base_url, account, url, selector, path)
            finally:
                browser.close()

    def _shoot(self, browser, base_url, account, url, selector, path):
        context = browser.new_context(
            locale="fr-FR", viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.goto(f"{base_url}/admin/login/")
        page.fill("input[name=username]", account)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base_url}/admin/**")
        page.goto(f"{base_url}{url}")
        page.wait_for_load_state("networkidle")
        target = page.locator(selector).first if selector else None
        if target is not None and target.count():
            target.screenshot(path=str(path))
        else:
            page.screenshot(path=str(path), full_page=False)
        context.close()
        self.stdout.write(f"{path.name} ← {url} ({account})")
