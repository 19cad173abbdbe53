"""« Bilan de la convention » in Chromium, as the médiathèque's moderation
and as CLX's coordination: the page and its print version pass axe-core,
the charts are there without JavaScript, and the print version is A4 pages
naming both partners."""

import io
import re

import pytest

from tests.axe import axe_violations
from tests.browser_helpers import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_POINTS = (595, 842)


@pytest.mark.parametrize("username", ["moderation", "clx-coordination"])
def test_report_and_print_version_pass_axe_and_print_on_a4(
    browser, demo_data, username, tmp_path
):
    page, base_url = browser
    admin_login(page, base_url, username)
    page.get_by_role("link", name="Bilan de la convention").first.click()
    page.wait_for_url(f"{base_url}/admin/bilan/")
    main = page.locator("main")
    assert "Rencontres et ateliers" in main.inner_text()
    assert main.locator("svg[role=img]").count() == 2
    assert axe_violations(page) == [], username
    page.screenshot(path=tmp_path / "bilan.png", full_page=True)

    page.goto(f"{base_url}/admin/bilan/impression/")
    assert axe_violations(page) == [], (username, "impression")
    text = page.locator("body").inner_text()
    assert "Médiathèque de Wimille et CLX – Club Linux Nord–Pas-de-Calais" in text
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True)
    (tmp_path / "bilan.pdf").write_bytes(pdf)
    sizes = _page_sizes(pdf)
    assert sizes and all(size == A4_POINTS for size in sizes), sizes
    assert len(sizes) <= 8


def _page_sizes(pdf):
    """The MediaBox of each page, in points (Chromium writes them plainly)."""
    return [
        (round(float(w)), round(float(h)))
        for w, h in re.findall(
            rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]",
            io.BytesIO(pdf).read(),
        )
    ]
