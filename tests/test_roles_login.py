"""Logging in to the admin resists guessing: lockout after five failures for
a username from one address, strong passwords, sessions that end; and each
role has a demo account that can receive the workflow's e-mails."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from portal import roles
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def _fail(client, username, times, ip="203.0.113.7"):
    for _ in range(times):
        response = client.post(
            LOGIN, {"username": username, "password": "devine"}, REMOTE_ADDR=ip
        )
        assert response.status_code in (200, 429)
    return response


def test_four_failures_still_let_the_right_password_in(client, accounts):
    _fail(client, "clx-redaction", 4)
    response = client.post(
        LOGIN,
        {"username": "clx-redaction", "password": DEMO_PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_fifth_failure_locks_out_with_a_french_page(client, accounts):
    response = _fail(client, "clx-redaction", 5)
    assert response.status_code == 429
    html = response.content.decode()
    assert 'lang="fr"' in html
    assert "bloqué" in html
    # Even the right password is refused for the lockout's duration…
    response = client.post(
        LOGIN,
        {"username": "clx-redaction", "password": DEMO_PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302
    # …but someone else at the same address is not locked out.
    response = client.post(
        LOGIN,
        {"username": "moderation", "password": DEMO_PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302


def test_lockout_ends_after_the_cool_off(client, accounts, settings):
    import datetime

    import time_machine
    from django.utils import timezone

    _fail(client, "redaction", 5)
    later = timezone.now() + datetime.timedelta(hours=1, minutes=1)
    with time_machine.travel(later):
        response = client.post(
            LOGIN,
            {"username": "redaction", "password": DEMO_PASSWORD},
            REMOTE_ADDR="203.0.113.7",
        )
    assert response.status_code == 302


def test_session_ends_with_the_browser_and_after_eight_hours(client, accounts):
    response = client.post(LOGIN, {"username": "moderation", "password": DEMO_PASSWORD})
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]
    assert client.session.get_expiry_age() == 8 * 60 * 60
    assert cookie["httponly"]


@pytest.mark.parametrize(
    "password, message",
    [
        ("court1", "trop court"),
        ("1234567890123", "entièrement numérique"),
        ("motdepasse", "trop courant"),
    ],
)
def test_weak_passwords_are_refused(client, accounts, password, message):
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "faible",
            "email": "faible@atelier-wimille.test",
            "first_name": "F",
            "last_name": "Aible",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="faible").exists()


def test_each_role_has_a_demo_account_with_an_address(accounts):
    users = get_user_model().objects.prefetch_related("groups")
    by_role = {}
    for user in users.filter(username__in=[a[0] for a in DEMO_ACCOUNTS]):
        assert user.email.endswith("@atelier-wimille.test")
        assert user.check_password(DEMO_PASSWORD)
        for group in user.groups.all():
            by_role[group.name] = user.username
    assert set(by_role) == set(roles.ROLES)
