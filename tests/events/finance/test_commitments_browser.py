"""Money decisions in a real browser: on a shared line the town's form and
CLX's form are each their own (a label ticks its own radio), and approving
from the dashboard's modal says which line waits, then that it is done."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Workflow

from events.finance import rules as finance
from events.models import EventIndexPage, EventPage
from events.models import FinancialCommitment as Line
from portal import roles
from tests.browser_helpers import admin_login
from tests.factories.events import EventTypeFactory
from tests.factories.rooms import create_commitment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submitted_event(owner, title):
    start = timezone.localtime().replace(
        hour=14, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=20)
    page = EventPage(
        title=title,
        slug="fete-du-libre-2027",
        summary="Une journée pour découvrir le logiciel libre.",
        event_type=EventTypeFactory(),
        start=start,
        end=start + datetime.timedelta(hours=3),
        owner=owner,
        live=False,
    )
    EventIndexPage.objects.get().add_child(instance=page)
    page.save_revision(user=owner)
    return page


def test_a_label_ticks_the_radio_of_its_own_form(browser, demo_data):
    page, base_url = browser
    from django.contrib.auth import get_user_model

    moderation = get_user_model().objects.get(username="moderation")
    moderation.groups.add(Group.objects.get(name=roles.CLX_COORDINATION))
    line = Line.objects.filter(payer="partage").first() or create_commitment(
        EventPage.objects.first(), payer="partage"
    )
    admin_login(page, base_url, "moderation")
    page.goto(f"{base_url}/admin/engagements/inspect/{line.pk}/")
    clx_form = page.locator("form", has=page.locator("input[name=party][value=clx]"))
    town_form = page.locator("form", has=page.locator("input[name=party][value=town]"))
    clx_form.get_by_text("Refuser", exact=True).click()
    assert clx_form.get_by_label("Refuser", exact=True).is_checked()
    assert not town_form.get_by_label("Refuser", exact=True).is_checked()
    town_form.get_by_text("Autoriser la dépense").click()
    assert town_form.get_by_label("Autoriser la dépense").is_checked()
    assert clx_form.get_by_label("Refuser", exact=True).is_checked()


def test_approving_from_the_dashboard_says_why_then_confirms(browser, demo_data):
    page, base_url = browser
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    event = submitted_event(users.get(username="clx-redaction"), "Fête du libre 2027")
    line = create_commitment(
        event, label="Sono « Emmaüs »", user=users.get(username="clx-redaction")
    )
    Workflow.objects.get(name=roles.WORKFLOW_NAME).start(
        event, users.get(username="clx-redaction")
    )

    def approve_with_comment():
        admin_login(page, base_url, "moderation")
        row = page.locator("tr", has_text="Fête du libre 2027").filter(
            has=page.locator("[data-workflow-action-url]")
        )
        row.get_by_role("button", name="Actions").click()
        row.get_by_role("button", name="Approuver avec un commentaire").click()
        dialog = page.get_by_role("dialog")
        dialog.locator("textarea").fill("Très bien, merci !")
        with page.expect_navigation():
            dialog.locator("button[type=submit]").click()
        return page.locator(".messages").inner_text()

    text = approve_with_comment()
    assert "« Sono « Emmaüs » » (60,00 €) attend l'autorisation de la ville" in text
    assert not EventPage.objects.get(pk=event.pk).live

    finance.authorise_town(line, users.get(username="moderation"), "Accordé.")
    text = approve_with_comment()
    assert "« Fête du libre 2027 » est approuvé et publié." in text
    assert EventPage.objects.get(pk=event.pk).live
