"""Each part of the site gets its Content-Security-Policy: the public pages
nothing inline and nothing from elsewhere; the Wagtail and Django admins
their own policy, relaxed only where Wagtail 8 needs it (what it needs is
measured in Chromium by tests/test_admin_csp_browser.py)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values.split()
        for name, _, values in (
            part.strip().partition(" ") for part in policy.split(";") if part.strip()
        )
    }


def test_public_pages_keep_the_strict_policy(client, home_page):
    policy = directives(client.get("/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert "script-src-elem" not in policy and "style-src-elem" not in policy
    assert "'unsafe-inline'" not in str(policy)


@pytest.mark.parametrize(
    "url, signed_in",
    [
        ("/admin/login/", False),
        ("/admin/", True),
        ("/admin/pages/", True),
        ("/django-admin/login/", False),
    ],
)
def test_the_admins_get_their_own_policy(client, admin_user, url, signed_in):
    if signed_in:
        client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response)
    # The base every page shares.
    for name, values in {
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
    }.items():
        assert policy[name] == values, name
    # Script files from our origin only, never eval(); inline <script>
    # elements (Wagtail's widgets) but no inline event handler.
    assert policy["script-src"] == ["'self'"]
    assert policy["script-src-elem"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-inline'" not in policy["script-src-attr"]
    assert "'unsafe-eval'" not in str(policy)
    # Style attributes refused; <style> elements for Draftail.
    assert policy["style-src"] == ["'self'"]
    assert policy["style-src-elem"] == ["'self'", "'unsafe-inline'"]
    # Nothing from another origin, anywhere.
    assert not re.search(r"https?:", response["Content-Security-Policy"])


def test_the_admin_checks_no_update_on_another_site(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "releases.wagtail.org" not in html
    assert "data-w-upgrade" not in html


def test_a_view_adjusting_its_policy_still_does(client, home_page):
    # The agenda widget widens frame-ancestors for the partners' sites.
    from home.models import Partner

    Partner.objects.filter(slug="clx").update(website="https://clx.example")
    policy = directives(client.get("/agenda/widget/"))
    assert "https://clx.example" in policy["frame-ancestors"]
    assert policy["script-src"] == ["'self'"]
