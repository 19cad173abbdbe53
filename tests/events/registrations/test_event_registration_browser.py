"""The registration form in a real browser: axe-core clean (blank and with
errors), usable with the keyboard alone, no JavaScript needed; the whole
journey of the mails' links (confirm, then cancel) with the Origin a real
browser sends."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from events.models import EventPage, Registration
from tests.axe import axe_violations
from tests.registration_helpers import form_url, make_event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def event_url(home_page, built_once):
    event = (
        built_once("registration-event", lambda: make_event(home_page, capacity=3))
        or EventPage.objects.get()
    )
    return event, form_url(event)


def test_form_passes_axe_blank_and_with_errors(browser, event_url):
    page, base = browser
    event, url = event_url
    page.goto(base + url)
    assert axe_violations(page) == []
    page.fill("#id_email", "pas-une-adresse")
    page.click(".registration-form button[type=submit]")
    # The form is sent to the server: wait for the answer before reading it.
    page.wait_for_selector("text=Cette adresse e-mail n'est pas valide")
    assert "Cette adresse e-mail n'est pas valide" in page.content()
    assert axe_violations(page) == []
    # The event page with its registration block as well.
    page.goto(base + event.url)
    assert axe_violations(page) == []


def test_register_with_the_keyboard_only_without_javascript(browser, event_url):
    page, base = browser
    event, url = event_url
    page.goto(base + url)
    # Nothing on the form page runs JavaScript: it works the same without.
    assert page.locator("script:not([type='application/ld+json'])").count() == 0
    page.focus("#id_occurrence")
    page.keyboard.press("ArrowDown")  # the first date
    for field, value in (("#id_name", "Léa Dupont"), ("#id_email", "lea@exemple.fr")):
        page.focus(field)
        page.keyboard.type(value)
    page.focus("#id_consent")
    page.keyboard.press("Space")
    page.focus(".registration-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Confirmez votre inscription"
    registration = Registration.objects.get()
    assert (
        registration.occurrence_start
        == event.occurrences(start=timezone.now())[0].start
    )


def test_no_horizontal_scroll_at_320px(browser, event_url):
    page, base = browser
    event, url = event_url
    page.set_viewport_size({"width": 320, "height": 800})
    for target in (url, event.url):
        page.goto(base + target)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, target


def _path(message, marker):
    """The path of the link containing `marker` in a mail's text."""
    url = re.search(rf"https?://[^/\s]+(/\S*{marker}\S*/)", message.body)
    assert url, message.body
    return url.group(1)


def test_register_confirm_from_the_mail_then_cancel_with_the_manage_link(
    browser, event_url
):
    page, base = browser
    event, url = event_url
    page.goto(base + url)
    page.select_option("#id_occurrence", index=1)
    page.fill("#id_name", "Zoé L'Hôte-Œuvray")
    page.fill("#id_email", "zoe.lhote@exemple.fr")
    page.check("#id_consent")
    page.click(".registration-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Confirmez votre inscription')")
    assert "Vos places vous sont réservées jusqu'à" in page.inner_text("main")
    assert Registration.objects.get().status == "pending"

    (asked,) = mail.outbox
    assert asked.to == ["zoe.lhote@exemple.fr"]
    assert "Bonjour Zoé L'Hôte-Œuvray," in asked.body
    page.goto(base + _path(asked, "/inscription/confirmer/"))
    assert page.inner_text("h1") == "Confirmer mon inscription"
    assert "Zoé L'Hôte-Œuvray" in page.inner_text("main")
    assert Registration.objects.get().status == "pending"  # opening is not confirming
    page.click("main form button[type=submit]")
    page.wait_for_selector("h1:has-text('Inscription confirmée')")
    assert "inscription confirmée pour 1 place" in page.inner_text("main")
    assert axe_violations(page) == []
    registration = Registration.objects.get()
    assert (registration.status, registration.name) == (
        "confirmed",
        "Zoé L'Hôte-Œuvray",
    )

    confirmed = mail.outbox[-1]
    assert confirmed.subject.startswith("Inscription confirmée")
    page.goto(base + _path(confirmed, "/inscription/gerer/"))
    assert "Zoé L'Hôte-Œuvray" in page.inner_text("main")
    page.click("button[name=action][value=cancel]")
    page.wait_for_selector("h1:has-text('Inscription annulée')")
    assert "Votre inscription est annulée" in page.inner_text("main")
    assert Registration.objects.get().status == "cancelled"
