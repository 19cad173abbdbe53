"""Rate limits see the real visitor behind the trusted proxies: registrations
(per address and per e-mail), badge requests (and a pending duplicate), the
volunteer contact relay (per address and per volunteer), search and the admin
login (django-axes per username and address, plus an address-only rule).
Over the limit: a French 429 page that says when to come back."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from events.models import EventIndexPage, Registration
from portal.demo import DEMO_PASSWORD
from resources.models import BadgeRequest
from tests.factories.badges import create_badge_class, create_path, path_index
from tests.factories.events import create_event
from tests.factories.volunteers import CharterVersionFactory, listed_volunteer
from tests.pages import text

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]

LOGIN = "/admin/login/"
PROXY = "10.0.0.1"


def via_proxy(visitor, forged=None):
    """What the README's proxy sends: it appends the address it saw."""
    chain = f"{forged}, {visitor}" if forged else visitor
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def event(home_page):
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    page = create_event(
        EventIndexPage.objects.get(),
        start=start,
        capacity=500,
        max_seats_per_registration=2,
    )
    page.refresh_from_db()
    return page


def register(client, event, email="camille@exemple.fr", **extra):
    occurrence = event.occurrences(start=timezone.now())[0]
    return client.post(
        event.url + "inscription/",
        {
            "occurrence": occurrence.key,
            "name": "Camille Martin",
            "email": email,
            "phone": "",
            "seats": "1",
            "consent": "on",
            "website": "",
        },
        **extra,
    )


def assert_429_in_french(response):
    assert response.status_code == 429
    html = text(response)
    assert 'lang="fr"' in html
    assert "Trop de demandes" in html
    assert "Vous pourrez réessayer dans" in html
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "no-store" in response["Cache-Control"]


# -- Registrations -------------------------------------------------------------


def test_registrations_per_address_then_429(client, event, settings):
    settings.RATE_LIMITS = {"registration-address": (3, 3600)}
    for n in range(3):
        assert register(client, event, email=f"p{n}@exemple.fr").status_code == 200
    response = register(client, event, email="p9@exemple.fr")
    assert_429_in_french(response)
    assert Registration.objects.count() == 3
    # Another visitor is not slowed down.
    response = register(client, event, email="x@exemple.fr", REMOTE_ADDR="192.0.2.8")
    assert response.status_code == 200


def test_registrations_per_email_whatever_the_address(client, event, settings):
    settings.RATE_LIMITS = {"registration-email": (2, 3600)}
    for n in range(2):
        response = register(client, event, REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert response.status_code == 200
    response = register(
        client, event, email="CAMILLE@exemple.fr", REMOTE_ADDR="192.0.2.9"
    )
    assert_429_in_french(response)


def test_the_window_ends(client, event, settings):
    settings.RATE_LIMITS = {"registration-address": (1, 3600)}
    assert register(client, event, email="a@exemple.fr").status_code == 200
    assert register(client, event, email="b@exemple.fr").status_code == 429
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, minutes=1)):
        assert register(client, event, email="b@exemple.fr").status_code == 200


def test_limits_can_be_switched_off_or_raised_for_load_tests(client, event, settings):
    settings.RATE_LIMITS = {"registration-address": (1, 3600)}
    settings.RATE_LIMITS_ENABLED = False
    for n in range(3):
        assert register(client, event, email=f"p{n}@exemple.fr").status_code == 200
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_FACTOR = 5
    for n in range(5):
        assert register(client, event, email=f"q{n}@exemple.fr").status_code == 200
    assert register(client, event, email="q9@exemple.fr").status_code == 429


# -- The address behind the proxy ---------------------------------------------


def test_without_the_setting_forwarded_for_is_ignored(client, event, settings):
    settings.RATE_LIMITS = {"registration-address": (2, 3600)}
    for n in range(2):
        register(
            client, event, email=f"p{n}@exemple.fr", **via_proxy(f"198.51.100.{n}")
        )
    # Another forged header changes nothing: the peer is what counts.
    response = register(
        client, event, email="z@exemple.fr", **via_proxy("198.51.100.7")
    )
    assert response.status_code == 429


def test_behind_the_proxy_each_visitor_has_its_own_count(
    client, event, settings, behind_proxy
):
    settings.RATE_LIMITS = {"registration-address": (2, 3600)}
    for n in range(2):
        register(client, event, email=f"p{n}@exemple.fr", **via_proxy("198.51.100.5"))
    response = register(
        client, event, email="p8@exemple.fr", **via_proxy("198.51.100.5")
    )
    assert response.status_code == 429
    # Forging an address on the left of the header does not escape the limit…
    response = register(
        client,
        event,
        email="p9@exemple.fr",
        **via_proxy("198.51.100.5", forged="203.0.113.77"),
    )
    assert response.status_code == 429
    # …and the other visitors behind the same proxy are not concerned.
    response = register(
        client, event, email="other@exemple.fr", **via_proxy("198.51.100.6")
    )
    assert response.status_code == 200


# -- Badge requests ------------------------------------------------------------


@pytest.fixture
def badge(home_page, django_user_model):
    badge = create_badge_class(slug="premiers-pas", name="Premiers pas")
    create_path(path_index(home_page), title="Premiers pas", badge_class=badge)
    django_user_model.objects.create_superuser("chef", "chef@mediatheque.fr", "x" * 12)
    return badge


def ask_badge(client, email="lea@exemple.fr", **extra):
    return client.post(
        "/badges/premiers-pas/demande/",
        {
            "name": "Léa Martin",
            "email": email,
            "evidence_text": "J'ai écrit une lettre avec LibreOffice.",
            "consent": "on",
            "website": "",
        },
        **extra,
    )


def test_a_pending_duplicate_is_answered_the_same_and_not_stored(client, badge):
    assert ask_badge(client).status_code == 302
    response = ask_badge(client, email="LEA@exemple.fr")
    assert response.status_code == 302
    assert response["Location"] == "/badges/premiers-pas/demande/envoyee/"
    assert BadgeRequest.objects.count() == 1
    assert len(mail.outbox) == 1  # staff told once


def test_badge_requests_per_address(client, badge, settings):
    settings.RATE_LIMITS = {"badge-request-address": (2, 3600)}
    for n in range(2):
        assert ask_badge(client, email=f"l{n}@exemple.fr").status_code == 302
    assert_429_in_french(ask_badge(client, email="l9@exemple.fr"))
    assert BadgeRequest.objects.count() == 2
    assert len(mail.outbox) == 2


# -- Contact relay and search --------------------------------------------------


def test_contact_relay_per_volunteer(client, home_page, settings):
    settings.RATE_LIMITS = {"contact-volunteer": (2, 86400)}
    volunteer = listed_volunteer(CharterVersionFactory(), display_name="Camille")
    for n in range(3):
        response = client.post(
            f"/benevoles/{volunteer.pk}/contacter/",
            {
                "name": "Jean Visiteur",
                "email": "jean@exemple.invalid",
                "message": "Bonjour, pouvez-vous m'aider samedi ?",
                "website": "",
            },
            REMOTE_ADDR=f"192.0.2.{n + 1}",
        )
    assert response.status_code == 429
    assert len(mail.outbox) == 2


def test_search_per_address(client, home_page, settings):
    settings.RATE_LIMITS = {"search-address": (3, 60)}
    for _ in range(3):
        assert client.get("/recherche/?q=atelier").status_code == 200
    assert client.get("/recherche/?q=atelier").status_code == 429
    # The empty search form costs nothing.
    assert client.get("/recherche/").status_code == 200


# -- Admin login ---------------------------------------------------------------


def login(client, username, password="devine", **extra):  # noqa: S107
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_forged_addresses_cannot_lock_the_moderator_out(client, accounts, behind_proxy):
    for n in range(6):
        login(client, "moderation", **via_proxy("203.0.113.5", forged=f"1.2.3.{n}"))
    # The attacker's own address is locked for this username…
    response = login(client, "moderation", DEMO_PASSWORD, **via_proxy("203.0.113.5"))
    assert response.status_code == 429
    # …the moderator at home is not.
    response = login(client, "moderation", DEMO_PASSWORD, **via_proxy("198.51.100.20"))
    assert response.status_code == 302


def test_password_spraying_from_one_address_is_locked(client, accounts, settings):
    settings.RATE_LIMITS = {"login-address": (8, 3600)}
    usernames = ["redaction", "moderation", "clx-redaction", "admin"]
    for _round in range(2):
        for username in usernames:
            response = login(client, username, REMOTE_ADDR="203.0.113.50")
            assert response.status_code == 200  # never 5 on one username
    response = login(
        client, "clx-coordination", DEMO_PASSWORD, REMOTE_ADDR="203.0.113.50"
    )
    assert response.status_code == 429
    assert "bloquée" in text(response)
    # Someone else, elsewhere, logs in.
    response = login(
        client, "clx-coordination", DEMO_PASSWORD, REMOTE_ADDR="192.0.2.60"
    )
    assert response.status_code == 302
