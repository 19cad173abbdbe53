"""A badge is never awarded twice to one person: staff approving the same
request, or importing the same CSV, at the same moment, each in its own
thread and database connection. Needs PostgreSQL's row locks."""

import threading

import pytest
from django.db import connection, connections

from resources import awarding
from resources.models import BadgeAssertion, BadgeClass, BadgeCredential, BadgeRequest
from tests.factories.badges import create_badge_class

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 8


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Le test de concurrence demande PostgreSQL (DATABASE_URL).")


def run_together(action, count=CLIENTS):
    barrier = threading.Barrier(count)
    outcomes = []

    def run():
        try:
            barrier.wait(timeout=30)
            action()
            outcomes.append("ok")
        except awarding.AwardingError as error:
            outcomes.append(type(error).__name__)
        except Exception as error:  # noqa: BLE001 (reported below)
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_concurrent_approvals_award_once(home_page, mailoutbox):
    badge = create_badge_class(slug="premiers-pas")
    badge_request = BadgeRequest.objects.create(
        badge_class=badge, name="Léa", email="lea@exemple.fr", consent=True
    )

    outcomes = run_together(
        lambda: awarding.approve_request(
            BadgeRequest.objects.get(pk=badge_request.pk), user=None
        )
    )

    assert sorted(outcomes) == ["AwardingError"] * (CLIENTS - 1) + ["ok"]
    assert BadgeAssertion.objects.count() == 1
    assert len(mailoutbox) == 1


def test_concurrent_imports_of_one_file_award_once(home_page):
    badge = create_badge_class(slug="atelier")
    data = b"Lea,lea@exemple.fr\nKarim,karim@exemple.fr\n"

    outcomes = run_together(
        lambda: awarding.import_csv(
            BadgeClass.objects.get(pk=badge.pk), data, notify=False
        )
    )

    assert sorted(outcomes) == ["CsvImportError"] * (CLIENTS - 1) + ["ok"]
    assert BadgeAssertion.objects.count() == 2


def test_concurrent_awards_of_different_badges_get_distinct_status_entries(
    home_page,
):
    """Open Badges 3.0: each credential's revocation bit is its own, even
    when eight badges are awarded at the same moment (a shared bit would
    revoke a stranger's badge)."""
    badges = [create_badge_class(slug=f"badge-{n}") for n in range(CLIENTS)]
    queue = list(badges)
    lock = threading.Lock()

    def award_next():
        with lock:
            badge = queue.pop()
        awarding.award_one(badge, email="lea@exemple.fr", notify=False)

    outcomes = run_together(award_next)

    assert outcomes == ["ok"] * CLIENTS
    entries = list(
        BadgeCredential.objects.values_list("status_list_id", "status_index")
    )
    assert len(entries) == CLIENTS
    assert len(set(entries)) == CLIENTS
