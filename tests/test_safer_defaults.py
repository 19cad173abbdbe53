"""Safer defaults: demo accounts (one known password) are never created in
a database that holds real accounts."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]


def test_demo_accounts_refused_beside_real_accounts(home_page):
    get_user_model().objects.create_user("bibliothecaire", password="x" * 12)
    with pytest.raises(CommandError, match="Comptes de démonstration refusés"):
        call_command("load_demo_data", verbosity=0)
    assert not get_user_model().objects.filter(username="moderation").exists()
    # Content alone is still fine.
    call_command("load_demo_data", "--no-accounts", verbosity=0)


def test_demo_data_loads_twice(home_page):
    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    assert get_user_model().objects.filter(username="moderation").exists()


def test_search_log_is_bounded(client, home_page, settings):
    from wagtail.contrib.search_promotions.models import Query

    settings.SEARCH_LOG_MAX_QUERIES = 2
    settings.RATE_LIMITS_ENABLED = False
    for word in ("accueil", "mentions", "personnelles", "accessibilite"):
        assert client.get("/recherche/", {"q": word}).status_code == 200
    client.get("/recherche/", {"q": "zzzintrouvable"})
    assert Query.objects.count() <= 2
    assert not Query.objects.filter(query_string="zzzintrouvable").exists()
