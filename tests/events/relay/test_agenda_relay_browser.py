"""The relay pages in a real browser: the widget, « Diffuser l'agenda » and
the e-mail subscription journey are axe-core clean at 320 px and 1280 px,
need no JavaScript and never scroll sideways on a phone."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events.models import AgendaSubscription
from home.models import Partner
from tests.axe import axe_violations
from tests.factories.events import create_event
from tests.pages import mail_link_path

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

WIDTHS = (320, 1280)


@pytest.fixture
def agenda(home_page, built_once):
    agenda = home_page.get_children().get(slug="agenda").specific
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=2)
    built_once(
        "relay-agenda",
        lambda: create_event(
            agenda,
            title="Install party : passer à un système libre sans perdre ses fichiers",
            start=start,
            partners=[Partner.objects.get(slug="clx")],
            recurrence="weekly",
            recurrence_count=6,
        ),
    )
    return agenda


def _no_sideways_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize(
    "path",
    ["/agenda/widget/?nombre=5", "/agenda/diffuser/", "/agenda/abonnement/"],
)
def test_relay_pages_pass_axe_at_both_widths(browser, agenda, path):
    page, base = browser
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + path)
        assert axe_violations(page) == [], (path, width)
        assert _no_sideways_scroll(page), (path, width)
        assert page.locator("script").count() == 0, path


def test_subscription_journey_with_the_keyboard(browser, agenda):
    page, base = browser
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(base + "/agenda/abonnement/")
    page.focus("#id_email")
    page.keyboard.type("lea@exemple.fr")
    page.focus("#id_frequency_1")
    page.keyboard.press("Space")
    page.focus(".registration-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Vérifiez votre messagerie"
    assert axe_violations(page) == []

    page.goto(base + mail_link_path(mail.outbox[0], "/abonnement/confirmer/"))
    assert axe_violations(page) == []
    assert not AgendaSubscription.objects.confirmed().exists()
    page.focus(".registration-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Abonnement confirmé")
    assert AgendaSubscription.objects.confirmed().get().frequency == "mensuelle"
    assert axe_violations(page) == []


def test_form_errors_pass_axe(browser, agenda):
    page, base = browser
    page.goto(base + "/agenda/abonnement/")
    page.fill("#id_email", "pas-une-adresse")
    page.click(".registration-form button[type=submit]")
    # The form is sent to the server: wait for the answer before reading it.
    page.wait_for_selector("text=Cette adresse e-mail n'est pas valide")
    assert "Cette adresse e-mail n'est pas valide" in page.content()
    assert axe_violations(page) == []
