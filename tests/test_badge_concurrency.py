"""A badge is never awarded twice to one person: staff approving the same
request, or importing the same CSV, at the same moment, each in its own
thread and database connection. Needs PostgreSQL's row locks."""

import threading

import pytest

from resources import awarding
from resources.models import BadgeAssertion, BadgeClass, BadgeCredential, BadgeRequest
from tests.concurrency import at_once
from tests.factories.badges import create_badge_class

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

CLIENTS = 8


def run_together(action, count=CLIENTS):
    """`action()` in `count` threads at once: "ok", or the name of the
    AwardingError it raised; and the repr of any other error."""

    def run(ready):
        ready()
        try:
            action()
        except awarding.AwardingError as error:
            return type(error).__name__
        return "ok"

    return at_once([run] * count)


def test_concurrent_approvals_award_once(home_page, mailoutbox):
    badge = create_badge_class(slug="premiers-pas")
    badge_request = BadgeRequest.objects.create(
        badge_class=badge, name="Léa", email="lea@exemple.fr", consent=True
    )

    outcomes, errors = run_together(
        lambda: awarding.approve_request(
            BadgeRequest.objects.get(pk=badge_request.pk), user=None
        )
    )

    assert errors == []
    assert sorted(outcomes) == ["AwardingError"] * (CLIENTS - 1) + ["ok"]
    assert BadgeAssertion.objects.count() == 1
    assert len(mailoutbox) == 1


def test_concurrent_imports_of_one_file_award_once(home_page):
    badge = create_badge_class(slug="atelier")
    data = b"Lea,lea@exemple.fr\nKarim,karim@exemple.fr\n"

    outcomes, errors = run_together(
        lambda: awarding.import_csv(
            BadgeClass.objects.get(pk=badge.pk), data, notify=False
        )
    )

    assert errors == []
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

    outcomes, errors = run_together(award_next)

    assert outcomes == ["ok"] * CLIENTS
    entries = list(
        BadgeCredential.objects.values_list("status_list_id", "status_index")
    )
    assert len(entries) == CLIENTS
    assert len(set(entries)) == CLIENTS
