"""The Wagtail admin: French, reachable with a demo account, resistant to
password guessing."""

import pytest

pytestmark = pytest.mark.django_db


def test_admin_login_page_is_french(client, home_page):
    html = client.get("/admin/login/").content.decode()
    assert 'lang="fr"' in html
    assert "Se connecter" in html or "Connexion" in html


def test_demo_account_logs_in(client, accounts):
    from portal.demo import DEMO_PASSWORD

    response = client.post(
        "/admin/login/", {"username": "admin", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated
    assert client.get("/admin/").status_code == 200


def test_repeated_failures_lock_the_account_out(client, accounts):
    from portal.demo import DEMO_PASSWORD

    for _ in range(5):
        client.post("/admin/login/", {"username": "moderation", "password": "mauvais"})
    response = client.post(
        "/admin/login/", {"username": "moderation", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 429
    assert "bloquée" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_admin_pages_load_no_avatar_from_another_site(admin_client, home_page):
    html = admin_client.get("/admin/").content.decode()
    assert "gravatar.com" not in html
