"""« Validation médiathèque »: what CLX writes goes live only once a
moderator of the médiathèque approves it, and everyone concerned hears of it
by e-mail, in French, from the site's address."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import WorkflowState

from portal import roles
from tests.admin_forms import (
    admin_create_page,
    admin_edit_page,
    event_fields,
    messages_of,
)

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def people(portal_roles):
    return {
        "clx": portal_roles(roles.CLX_EDITORS),
        "moderator": portal_roles(roles.MODERATION),
        "editor": portal_roles(roles.MEDIATHEQUE_EDITORS),
    }


def _event(title):
    from events.models import EventPage

    return EventPage.objects.get(title=title)


def _act(client, page, action, **data):
    """A moderator's approve / reject button on the current task."""
    task_state = page.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk)
    )
    return client.post(url, data)


def _mail_to(user):
    return [message for message in mail.outbox if user.email in message.to]


def test_clx_draft_rejected_fixed_then_approved_goes_live(
    client, people, agenda, event_type
):
    from events.models import EventPage

    clx, moderator = people["clx"], people["moderator"]

    # 1. A CLX editor writes a draft: nothing is public, nobody is bothered.
    client.force_login(clx)
    response = admin_create_page(
        client, agenda, EventPage, event_fields("Install party Debian", event_type)
    )
    assert response.status_code == 302, messages_of(response)
    page = _event("Install party Debian")
    assert not page.live
    assert page.owner == clx
    assert mail.outbox == []

    # 2. They submit it: the moderators are told, in French, by the site.
    response = admin_edit_page(client, page, {}, action="submit")
    assert response.status_code == 302, messages_of(response)
    page.refresh_from_db()
    assert page.workflow_in_progress
    assert page.current_workflow_task.name == roles.TASK_NAME
    [submitted] = _mail_to(moderator)
    assert "Install party Debian" in submitted.subject
    assert "soumis" in (submitted.subject + submitted.body).lower()
    assert submitted.from_email == settings.DEFAULT_FROM_EMAIL
    assert _mail_to(clx) == []
    assert not page.live

    # The moderator finds it on their dashboard, with its approve button.
    client.force_login(moderator)
    home = client.get("/admin/").content.decode()
    assert "Install party Debian" in home
    assert (
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, "approve", page.current_workflow_task_state.pk),
        )
        in home
    )

    # 3. The moderator rejects it with a comment: the author gets the comment.
    mail.outbox.clear()
    response = _act(
        client, page, "reject", comment="Précisez le matériel à apporter, merci."
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    state = WorkflowState.objects.get(
        base_content_type__isnull=False, object_id=str(page.pk)
    )
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    [rejected] = mail.outbox
    assert rejected.to == [clx.email]
    assert "Précisez le matériel à apporter" in rejected.body
    assert rejected.from_email == settings.DEFAULT_FROM_EMAIL

    # The author sees where their page stands on their own dashboard.
    client.force_login(clx)
    home = client.get("/admin/").content.decode()
    assert "Install party Debian" in home
    assert "Modifications demandées" in home or "Changements demandés" in home

    # 4. They fix it and submit again: moderators are told again.
    mail.outbox.clear()
    response = admin_edit_page(
        client,
        page,
        {"summary": "Apportez votre ordinateur et son chargeur."},
        action="submit",
    )
    assert response.status_code == 302, messages_of(response)
    page.refresh_from_db()
    assert page.workflow_in_progress
    assert [m.to for m in mail.outbox] == [[moderator.email]]

    # 5. The moderator approves: the corrected page is live, the author told.
    mail.outbox.clear()
    client.force_login(moderator)
    response = _act(client, page, "approve", comment="")
    assert response.status_code == 302
    page = _event("Install party Debian")
    assert page.live
    assert page.summary == "Apportez votre ordinateur et son chargeur."
    assert not page.workflow_in_progress
    [approved] = _mail_to(clx)
    assert "Install party Debian" in approved.subject
    assert "approuv" in (approved.subject + approved.body).lower()
    assert client.get(page.url).status_code == 200


def test_approving_a_page_with_a_go_live_date_schedules_it(
    client, people, agenda, event_type
):
    """Approved with a go-live date, the event goes public only when
    `publish_scheduled` runs after that date (cron, every few minutes)."""
    from events.models import EventPage

    clx, moderator = people["clx"], people["moderator"]
    # Autumn DST change in between: the time written in the form is Paris time.
    with time_machine.travel(datetime.datetime(2026, 10, 20, 9, 0, tzinfo=PARIS)):
        client.force_login(clx)
        go_live = datetime.datetime(2026, 10, 26, 8, 30, tzinfo=PARIS)
        response = admin_create_page(
            client,
            agenda,
            EventPage,
            event_fields(
                "Petit dej du libre de novembre",
                event_type,
                start=datetime.datetime(2026, 11, 7, 10, 0, tzinfo=PARIS),
                go_live_at=go_live.strftime(settings.WAGTAIL_DATETIME_FORMAT),
            ),
            action="submit",
        )
        assert response.status_code == 302, messages_of(response)
        page = _event("Petit dej du libre de novembre")
        client.force_login(moderator)
        _act(client, page, "approve", comment="")
        page.refresh_from_db()
        assert not page.live
        assert page.scheduled_revision is not None
        call_command("publish_scheduled")
        page.refresh_from_db()
        assert not page.live

    # Paris is at UTC+1 after 25 October: 08:29 Paris is still before.
    with time_machine.travel(datetime.datetime(2026, 10, 26, 8, 29, tzinfo=PARIS)):
        call_command("publish_scheduled")
        page.refresh_from_db()
        assert not page.live
    with time_machine.travel(datetime.datetime(2026, 10, 26, 8, 31, tzinfo=PARIS)):
        call_command("publish_scheduled")
        page.refresh_from_db()
        assert page.live
        assert client.get(page.url).status_code == 200


def test_mediatheque_editor_publishes_directly(client, people, agenda, event_type):
    from events.models import EventPage

    client.force_login(people["editor"])
    response = admin_create_page(
        client,
        agenda,
        EventPage,
        event_fields("Conférence vie privée", event_type),
        action="publish",
    )
    assert response.status_code == 302, messages_of(response)
    assert _event("Conférence vie privée").live
    assert not _event("Conférence vie privée").workflow_in_progress


def test_comment_by_a_moderator_reaches_the_author(client, people, agenda, event_type):
    """Comments on a page are mailed to those who follow it; its author
    follows it from the moment they create it."""
    from events.models import EventPage

    clx, moderator = people["clx"], people["moderator"]
    client.force_login(clx)
    admin_create_page(
        client, agenda, EventPage, event_fields("Atelier Linux", event_type)
    )
    page = _event("Atelier Linux")
    admin_edit_page(client, page, {}, action="submit")
    mail.outbox.clear()

    client.force_login(moderator)
    response = admin_edit_page(
        client,
        page,
        {},
        extra={
            "comments-TOTAL_FORMS": "1",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "",
            "comments-0-id": "",
            "comments-0-contentpath": "title",
            "comments-0-text": "Le titre pourrait dire pour qui c'est.",
            "comments-0-position": "",
            "comments-0-resolved": "",
            "comments-0-DELETE": "",
            "comments-0-replies-TOTAL_FORMS": "0",
            "comments-0-replies-INITIAL_FORMS": "0",
            "comments-0-replies-MIN_NUM_FORMS": "0",
            "comments-0-replies-MAX_NUM_FORMS": "",
        },
    )
    assert response.status_code == 302, messages_of(response)
    [notice] = _mail_to(clx)
    assert "Le titre pourrait dire pour qui c'est." in notice.body
    assert notice.from_email == settings.DEFAULT_FROM_EMAIL
