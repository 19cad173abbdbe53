"""The accessibility checker the browser tests trust (tests/axe.py) does
find what it is there to find. No database: Chromium alone."""

import pytest

from tests.axe import axe_violations

pytestmark = pytest.mark.browser


def test_axe_reports_a_violation_when_there_is_one(chromium):
    # The checker the other tests trust to find nothing does find something.
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<!doctype html><html lang="fr"><title>Essai</title>'
            '<main><img src="data:,"><a href="/"></a></main></html>'
        )
        found = axe_violations(page)
    finally:
        context.close()
    assert [v.split(":")[0] for v in found] == ["image-alt", "link-name"], found
