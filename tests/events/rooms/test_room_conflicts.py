"""Events placed in a room: outside its slots or over a confirmed booking
they are refused in the editor with a French message naming the conflict
and its date; a booking over a live event is refused naming the event. The
check reads a bounded range of stored occurrences: its queries do not grow
with the number of events (measured with 10,000 stored).
"""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import querydict_from_html

from events.models import Booking, EventPage, Occurrence
from events.rooms import rules as rooms
from portal import roles
from tests.factories.events import EventTypeFactory, create_event, paris
from tests.factories.rooms import create_booking, first_saturday_room

pytestmark = pytest.mark.django_db

NOW = paris(2026, 11, 2, 10, 0)
FMT = "%d/%m/%Y %H:%M"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def moderator(home_page, django_user_model):
    call_command("setup_portal", verbosity=0)
    user = django_user_model.objects.create_user(
        "moderation", email="moderation@atelier-wimille.test", password="x" * 12
    )
    user.groups.add(Group.objects.get(name=roles.MODERATION))
    return user


@pytest.fixture
def salle(home_page):
    return first_saturday_room()


def edit(client, page, **changes):
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    html = client.get(url).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data["body-count"] = "0"
    for box in WagtailTestUtils.get_soup(html).find_all("input", type="checkbox"):
        if box.has_attr("checked") and "value" not in box.attrs:
            data[box["name"]] = "on"
    data.update(changes)
    return client.post(url, data)


def room_errors(response):
    assert response.status_code == 200, "the form should come back with errors"
    return " ".join(response.context["form"].errors.get("room", []))


def test_an_event_over_a_confirmed_booking_is_refused_naming_it(
    client, moderator, agenda, salle
):
    create_booking(
        salle,
        paris(2026, 12, 5, 9, 30),
        paris(2026, 12, 5, 11, 0),
        purpose="Install party de CLX",
        status=Booking.Status.CONFIRMED,
    )
    event = create_event(
        agenda, start=paris(2026, 12, 5, 10, 0), duration=datetime.timedelta(hours=2)
    )
    client.force_login(moderator)
    response = edit(client, event, room=str(salle.pk))
    message = room_errors(response)
    assert "Cette salle n'est pas libre" in message
    assert "Chevauche la réservation « Install party de CLX »" in message
    assert "samedi 5 décembre 2026, 9 h 30 – 11 h" in message
    event.refresh_from_db()
    assert event.room is None


def test_an_event_outside_the_slots_is_refused(client, moderator, agenda, salle):
    event = create_event(agenda, start=paris(2026, 12, 9, 18, 0))  # a Wednesday
    client.force_login(moderator)
    message = room_errors(edit(client, event, room=str(salle.pk)))
    assert "en dehors des créneaux convenus" in message
    assert "mercredi 9 décembre 2026" in message


def test_a_monthly_event_inside_the_slots_is_accepted(client, moderator, agenda, salle):
    event = create_event(
        agenda,
        start=paris(2026, 12, 5, 9, 30),
        duration=datetime.timedelta(hours=2, minutes=30),
        recurrence="monthly_weekday",
    )
    client.force_login(moderator)
    response = edit(client, event, room=str(salle.pk), **{"action-publish": "on"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.room == salle


def test_a_booking_over_a_live_event_is_refused_naming_the_event(agenda, salle):
    event = create_event(
        agenda,
        title="Petit déj' du libre",
        start=paris(2026, 12, 5, 9, 30),
        duration=datetime.timedelta(hours=2, minutes=30),
        recurrence="monthly_weekday",
        room=salle,
    )
    assert Occurrence.objects.filter(event=event).exists()
    booking = Booking(
        room=salle,
        purpose="Réunion",
        start=paris(2027, 2, 6, 11, 0),
        end=paris(2027, 2, 6, 12, 0),
        expected_attendance=5,
    )
    with pytest.raises(rooms.BookingRefused) as refused:
        rooms.request_booking(booking, None)
    assert "Chevauche l'événement « Petit déj' du libre »" in refused.value.message
    assert "samedi 6 février 2027, 9 h 30 – 12 h" in refused.value.message


def test_the_check_reads_a_bounded_range_with_10000_events_stored(
    agenda, salle, django_assert_max_num_queries
):
    booking = create_booking(
        salle, paris(2026, 12, 5, 9, 30), paris(2026, 12, 5, 11, 0)
    )

    def measure():
        with CaptureQueriesContext(connection) as queries:
            rooms.booking_conflicts(booking)
        return len(queries)

    events = [
        create_event(
            agenda,
            start=paris(2026, 12, 12, 9, 30),
            title=f"Atelier {number}",
            publish=False,
        )
        for number in range(10)
    ]
    # Half of them in the room (placed in bulk, without the editor's check).
    EventPage.objects.filter(pk__in=[e.pk for e in events[::2]]).update(room=salle)
    few = measure()
    # 10,000 stored dates of events, in the room and elsewhere, past and
    # to come, none on the booking's morning.
    rows = []
    for number in range(10_000):
        start = paris(2020, 1, 4, 14, 0) + datetime.timedelta(days=number)
        if start.date() == datetime.date(2026, 12, 5):
            continue
        rows.append(
            Occurrence(
                event=events[number % len(events)],
                start=start,
                end=start + datetime.timedelta(hours=2),
            )
        )
    Occurrence.objects.bulk_create(rows, ignore_conflicts=True)
    assert Occurrence.objects.count() >= 10_000
    many = measure()
    print(f"booking check: {few} queries with 10 events, {many} with 10,000 dates")
    assert many == few
    with django_assert_max_num_queries(6):
        assert rooms.booking_conflicts(booking) == []
    with django_assert_max_num_queries(16):
        rooms.confirm(booking, None)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_events_from_their_own_booking_do_not_conflict(agenda, salle):
    booking = create_booking(
        salle,
        paris(2026, 12, 5, 9, 30),
        paris(2026, 12, 5, 12, 0),
        status=Booking.Status.CONFIRMED,
    )
    event = rooms.draft_event(booking, None, agenda)
    event.event_type = EventTypeFactory()
    event.save_revision().publish()
    event = EventPage.objects.get(pk=event.pk)
    assert rooms.event_conflicts(event) == []
    # …but another booking the same morning is refused: the event is there.
    other = Booking(
        room=salle,
        purpose="Autre",
        start=paris(2026, 12, 5, 10, 0),
        end=paris(2026, 12, 5, 11, 0),
        expected_attendance=3,
    )
    kinds = {conflict.kind for conflict in rooms.booking_conflicts(other)}
    assert kinds == {"booking", "event"}
