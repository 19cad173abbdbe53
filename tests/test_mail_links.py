"""Links in mails open where the portal is served: the demo Site takes the
address `make run` serves (WAGTAILADMIN_BASE_URL, exported by the Makefile
from HOST and PORT), so a new user's confirm and cancel links are not dead."""

import datetime
import os
import re
import subprocess
import urllib.request
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from portal.factories import create_site_tree
from tests.factories.events import create_event

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def served_demo(live_server, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    settings.ALLOWED_HOSTS = ["*"]
    create_site_tree()
    return live_server.url


def _links(message, marker):
    return [u for u in re.findall(r"https?://[^\s\"<>]+", message.body) if marker in u]


def _open(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (localhost)
        return response.status, response.read().decode()


def test_demo_site_answers_on_the_served_address(served_demo):
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == served_demo


def test_registration_mail_links_open_on_the_served_host(served_demo):
    from events.models import EventIndexPage

    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    event = create_event(EventIndexPage.objects.get(), start=start, capacity=5)
    occurrence = event.occurrences(start=timezone.now())[0]
    response = Client().post(
        f"{event.url}inscription/",
        {
            "occurrence": occurrence.key,
            "name": "Camille Martin",
            "email": "camille@exemple.fr",
            "phone": "",
            "seats": "1",
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 200, response.content[:500]
    (asked,) = mail.outbox
    confirm = _links(asked, "/inscription/confirmer/")[0]
    assert confirm.startswith(served_demo + "/")
    status, body = _open(confirm)
    assert status == 200 and "Confirmer mon inscription" in body
    path = confirm.removeprefix(served_demo)
    assert Client().post(path, HTTP_ORIGIN=served_demo).status_code == 200
    message = mail.outbox[-1]
    cancel = _links(message, "/inscription/annuler/")[0]
    event_link = _links(message, event.slug)[0]
    for url in (cancel, event_link):
        assert url.startswith(served_demo + "/")
        status, _body = _open(url)
        assert status == 200


def test_subscription_confirmation_link_opens_on_the_served_host(served_demo):
    response = Client().post(
        "/agenda/abonnement/",
        {"email": "lea@exemple.fr", "frequency": "mensuelle", "website": ""},
    )
    assert response.status_code == 302
    (link,) = _links(mail.outbox[0], "/abonnement/confirmer/")
    assert link.startswith(served_demo + "/")
    status, body = _open(link)
    assert status == 200 and "Confirmer mon abonnement" in body


def test_make_run_exports_its_address_to_the_demo_loader():
    out = subprocess.run(  # noqa: S603
        ["make", "-n", "-p", "run", "HOST=127.0.0.1", "PORT=8123"],  # noqa: S607
        cwd=ROOT,
        # Run under `make test`, the parent make's exports would stand in for
        # the Makefile's own definition: read the Makefile as a user would.
        env={
            key: value
            for key, value in os.environ.items()
            if key not in {"WAGTAILADMIN_BASE_URL", "MAKEFLAGS", "MAKELEVEL", "MFLAGS"}
        },
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert "export WAGTAILADMIN_BASE_URL" in out or re.search(
        r"^WAGTAILADMIN_BASE_URL = http://\$\(HOST\):\$\(PORT\)", out, re.M
    )
    assert "runserver 127.0.0.1:8123" in out
