"""axe-core, the accessibility checker the browser tests run on each page."""

import functools


@functools.cache
def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def axe_violations(page):
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; return the
    violations as readable strings. Only violations are reported back (axe
    otherwise lists every element that passes each rule, a large answer on
    the admin's pages)."""
    results = _axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
            },
            "resultTypes": ["violations"],
        },
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}) {v['nodes'][0]['target']}"
        for v in results.response["violations"]
    ]
