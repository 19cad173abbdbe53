"""``?date=`` on a registration URL: only a stored date of that event is
looked at; anything else is a quick French 404 (never a 500, never seconds
of CPU), and the form is a plain URL that answers HEAD like GET."""

import datetime
import time
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import EventIndexPage, Registration
from tests.factories.events import create_event, paris

pytestmark = pytest.mark.django_db

NOW = paris(2026, 10, 6, 8, 0)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def event(home_page):
    # Weekly on Tuesdays at 14:00, across the end of summer time.
    return create_event(
        EventIndexPage.objects.get(),
        slug="atelier-mardi",
        start=paris(2026, 10, 13, 14, 0),
        recurrence="weekly",
        capacity=8,
    )


URL = "/agenda/atelier-mardi/inscription/"


def test_a_stored_upcoming_date_opens_the_form(client, event):
    # Local time with its offset, as the event page links to it...
    response = client.get(URL, {"date": "2026-11-03T14:00:00+01:00"})
    assert response.status_code == 200
    assert "mardi 3 novembre 2026" in response.content.decode()
    # ...or the same instant in UTC.
    assert client.get(URL, {"date": "2026-11-03T13:00:00+00:00"}).status_code == 200
    # HEAD answers where GET does.
    assert client.head(URL, {"date": "2026-11-03T14:00:00+01:00"}).status_code == 200


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59+00:00",
        "9999-12-31T23:59:59",
        "2026-11-03T14:30:00+01:00",  # between two dates
        "2026-11-04T14:00:00+01:00",  # a Wednesday
        "2031-10-14T14:00:00+02:00",  # a Tuesday beyond the horizon
        "demain",
        "2026-11-03",
        "1" * 5000,
        "2026-11-03T14:00:00+25:00",
    ],
)
def test_anything_else_is_a_quick_french_404(client, event, value):
    # CPU time, not wall time: a loaded CI machine stretches the second.
    started = time.process_time()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"date": value})
    assert response.status_code == 404
    assert "ne fait pas partie des séances" in response.content.decode()
    assert time.process_time() - started < 1
    assert len(queries) < 20


@pytest.mark.parametrize("value", ["2026-11-03T14:00:00\x00", "\x00"])
def test_a_nul_byte_is_refused_at_the_door_in_french(client, event, value):
    # Control characters in any parameter are the input guard's (issue 12):
    # a French 400 before any view runs, so nothing is looked up or stored.
    for response in (
        client.get(URL, {"date": value}),
        client.post(URL, {"occurrence": value, "name": "A", "email": "a@exemple.fr"}),
    ):
        assert response.status_code == 400
        assert "caractères invisibles" in response.content.decode()
    assert not Registration.objects.exists()


def test_posting_a_hostile_date_is_a_404_too(client, event):
    for value in ("9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00"):
        response = client.post(
            URL,
            {
                "occurrence": value,
                "name": "A",
                "email": "a@exemple.fr",
                "seats": "1",
                "consent": "on",
            },
        )
        assert response.status_code == 404, value


def test_a_past_stored_date_is_gone_and_an_unknown_event_not_found(client, event):
    with time_machine.travel(paris(2026, 10, 21, 9, 0), tick=False):
        response = client.get(URL, {"date": "2026-10-13T14:00:00+02:00"})
    assert response.status_code == 410
    response = client.get("/agenda/nexiste-pas/inscription/")
    assert response.status_code == 404
    assert "n'existe pas" in unescape(response.content.decode())


def test_an_unpublished_event_takes_no_registration(client, event):
    event.unpublish()
    response = client.get(URL, {"date": "2026-11-03T14:00:00+01:00"})
    assert response.status_code == 404
    html = unescape(response.content.decode())
    assert "Cet événement n'existe pas ou n'est plus publié." in html
    assert 'name="email"' not in html


def test_the_date_list_comes_from_the_stored_dates(client, event):
    html = client.get(URL).content.decode()
    assert "mardi 13 octobre 2026" in html
    assert "mardi 27 octobre 2026" in html  # after the DST change, still 14:00
    assert datetime.date(2026, 10, 27).isoformat() + "T14:00:00+01:00" in html
