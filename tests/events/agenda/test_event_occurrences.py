"""Stored occurrences: an event's rows follow it when it is published,
unpublished, moved, deleted, or its rule, cancelled or extra dates change —
across a daylight-saving change — and the daily command extends the
horizon. Other apps hear about it through ``occurrences_changed``."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from events.models import (
    EventCancellation,
    EventExtraDate,
    EventIndexPage,
    EventPage,
    Occurrence,
)
from events.signals import occurrences_changed
from tests.factories.events import create_event, paris

pytestmark = pytest.mark.django_db

# A Tuesday before the end of summer time (last Sunday of October 2026).
NOW = paris(2026, 10, 6, 8, 0)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def changes():
    received = []

    def receiver(sender, event, **kwargs):
        received.append({"event": event.pk, **kwargs})

    occurrences_changed.connect(receiver, dispatch_uid="test-occ")
    yield received
    occurrences_changed.disconnect(dispatch_uid="test-occ")


def rows(event):
    return [
        (timezone_local(o.start), o.is_cancelled, o.cancellation_reason)
        for o in Occurrence.objects.filter(event=event)
    ]


def timezone_local(value):
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def starts(event):
    return [timezone_local(o.start) for o in Occurrence.objects.filter(event=event)]


def edit(event, **fields):
    """Change the event as an editor does: a new revision, published."""
    page = EventPage.objects.get(pk=event.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def test_weekly_event_is_stored_to_the_horizon_at_local_time_across_dst(agenda):
    event = create_event(agenda, start=paris(2026, 10, 20, 14, 0), recurrence="weekly")
    stored = starts(event)
    assert stored[:3] == ["2026-10-20 14:00", "2026-10-27 14:00", "2026-11-03 14:00"]
    offsets = [
        o.start.astimezone(paris(2026, 1, 1).tzinfo).utcoffset()
        for o in Occurrence.objects.filter(event=event)[:2]
    ]
    assert offsets == [datetime.timedelta(hours=2), datetime.timedelta(hours=1)]
    # 18 months ahead, not further.
    last = Occurrence.objects.filter(event=event).last().start
    assert paris(2028, 3, 20) < last < paris(2028, 4, 8)


def test_publish_stores_the_dates_and_says_so(agenda, changes):
    event = create_event(
        agenda,
        start=paris(2026, 10, 3, 9, 30),
        recurrence="monthly_weekday",
        recurrence_count=3,
    )
    assert starts(event) == [
        "2026-10-03 09:30",
        "2026-11-07 09:30",
        "2026-12-05 09:30",
    ]
    assert changes and changes[0]["event"] == event.pk
    assert len(changes[0]["added"]) == 3


def test_changing_the_rule_rebuilds_and_keeps_unchanged_rows(agenda, changes):
    event = create_event(
        agenda,
        start=paris(2026, 10, 3, 9, 30),
        recurrence="monthly_weekday",
        recurrence_count=3,
    )
    first_row = Occurrence.objects.filter(event=event).first().pk
    changes.clear()
    edit(event, recurrence_count=2)
    assert starts(event) == ["2026-10-03 09:30", "2026-11-07 09:30"]
    assert Occurrence.objects.filter(event=event).first().pk == first_row
    assert [c["removed"] for c in changes] == [[paris(2026, 12, 5, 9, 30)]]


def test_moving_the_first_date_moves_every_row(agenda):
    event = create_event(agenda, start=paris(2026, 10, 20, 14, 0), recurrence="weekly")
    edit(event, start=paris(2026, 10, 21, 18, 0), end=paris(2026, 10, 21, 20, 0))
    assert starts(event)[:2] == ["2026-10-21 18:00", "2026-10-28 18:00"]
    assert not Occurrence.objects.filter(event=event, start=paris(2026, 10, 20, 14, 0))


def test_cancelling_a_date_flags_its_row(agenda, changes):
    event = create_event(
        agenda,
        start=paris(2026, 10, 3, 9, 30),
        recurrence="monthly_weekday",
        recurrence_count=3,
    )
    changes.clear()
    page = EventPage.objects.get(pk=event.pk)
    page.cancellations = [
        EventCancellation(date=datetime.date(2026, 11, 7), reason="Fermeture")
    ]
    page.save_revision().publish()
    assert rows(event)[1] == ("2026-11-07 09:30", True, "Fermeture")
    assert changes[-1]["cancelled"] == [paris(2026, 11, 7, 9, 30)]
    # Lifting the cancellation (deleting it directly) restores the date.
    changes.clear()
    EventCancellation.objects.filter(page=event).delete()
    assert rows(event)[1] == ("2026-11-07 09:30", False, "")
    assert changes[-1]["restored"] == [paris(2026, 11, 7, 9, 30)]


def test_extra_date_gets_a_row_and_loses_it(agenda):
    event = create_event(agenda, start=paris(2026, 10, 10, 10, 0))
    page = EventPage.objects.get(pk=event.pk)
    page.extra_dates = [EventExtraDate(start=paris(2026, 11, 14, 10, 0))]
    page.save_revision().publish()
    assert starts(event) == ["2026-10-10 10:00", "2026-11-14 10:00"]
    extra = Occurrence.objects.get(event=event, start=paris(2026, 11, 14, 10, 0))
    assert extra.is_extra and extra.end == paris(2026, 11, 14, 12, 30)
    EventExtraDate.objects.filter(page=event).delete()
    assert starts(event) == ["2026-10-10 10:00"]


def test_unpublish_removes_rows_and_republish_brings_them_back(agenda, changes):
    event = create_event(agenda, start=paris(2026, 10, 10, 10, 0))
    changes.clear()
    EventPage.objects.get(pk=event.pk).unpublish()
    assert starts(event) == []
    assert changes[-1]["removed"] == [paris(2026, 10, 10, 10, 0)]
    EventPage.objects.get(pk=event.pk).get_latest_revision().publish()
    assert starts(event) == ["2026-10-10 10:00"]


def test_a_draft_has_no_rows(agenda):
    event = create_event(
        agenda, start=paris(2026, 10, 10, 10, 0), live=False, publish=False
    )
    assert starts(event) == []


def test_delete_removes_rows_and_says_which(agenda, changes):
    event = create_event(
        agenda,
        start=paris(2026, 10, 10, 10, 0),
        cancellations=[(datetime.date(2026, 10, 10), "Panne")],
        extra_dates=[paris(2026, 11, 14, 10, 0)],
    )
    pk = event.pk
    changes.clear()
    EventPage.objects.get(pk=pk).delete()
    assert not Occurrence.objects.filter(event_id=pk).exists()
    assert changes[-1]["removed"] == [
        paris(2026, 10, 10, 10, 0),
        paris(2026, 11, 14, 10, 0),
    ]


def test_move_keeps_rows(agenda):
    event = create_event(agenda, start=paris(2026, 10, 10, 10, 0))
    other = agenda.get_parent().add_child(
        instance=EventIndexPage(title="Autre agenda", slug="autre-agenda")
    )
    EventPage.objects.get(pk=event.pk).move(other, pos="last-child")
    assert starts(event) == ["2026-10-10 10:00"]


def test_past_rows_are_kept(agenda):
    event = create_event(
        agenda, start=paris(2025, 1, 7, 14, 0), recurrence="monthly_date"
    )
    stored = starts(event)
    assert stored[0] == "2025-01-07 14:00"
    assert "2026-09-07 14:00" in stored and "2026-10-07 14:00" in stored


def test_daily_command_extends_the_horizon(agenda, changes):
    event = create_event(agenda, start=paris(2026, 10, 20, 14, 0), recurrence="weekly")
    last = Occurrence.objects.filter(event=event).last().start
    with time_machine.travel(NOW + datetime.timedelta(days=14), tick=False):
        changes.clear()
        call_command("extend_occurrences")
    new_last = Occurrence.objects.filter(event=event).last().start
    assert new_last - last == datetime.timedelta(days=14)
    assert len(changes[-1]["added"]) == 2 and not changes[-1]["removed"]


def test_command_all_fills_an_empty_table(agenda):
    event = create_event(agenda, start=paris(2026, 10, 10, 10, 0))
    Occurrence.objects.all().delete()
    call_command("extend_occurrences", "--all")
    assert starts(event) == ["2026-10-10 10:00"]


def test_rebuild_costs_few_queries(agenda, django_assert_max_num_queries):
    event = create_event(agenda, start=paris(2026, 10, 20, 14, 0), recurrence="weekly")
    page = EventPage.objects.get(pk=event.pk)
    page.start, page.end = paris(2026, 10, 21, 14, 0), paris(2026, 10, 21, 16, 0)
    from events.agenda import occurrences

    # Read the event's dates and rows, write the difference and the event's
    # calendar text (venue, type); receivers of occurrences_changed
    # (appointments…) add their own few.
    with django_assert_max_num_queries(18):
        occurrences.rebuild(page)


def test_dates_behind_a_view_restriction_leave_the_agenda_at_once(agenda, client):
    create_event(agenda, title="Atelier public", start=paris(2026, 10, 10))
    private = create_event(agenda, title="Réunion du bureau", start=paris(2026, 10, 12))
    # Read once with no restriction anywhere: the answer is remembered.
    assert Occurrence.objects.public().filter(event=private).exists()
    assert "Réunion du bureau" in client.get("/agenda/").content.decode()

    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    assert not Occurrence.objects.public().filter(event=private).exists()
    html = client.get("/agenda/").content.decode()
    assert "Réunion du bureau" not in html
    assert "Atelier public" in html
    # The home page's cards too (its queries are compiled once for each
    # case, with and without restrictions: portal.prepared).
    home = client.get("/").content.decode()
    assert "Réunion du bureau" not in home and "Atelier public" in home

    restriction.delete()
    assert Occurrence.objects.public().filter(event=private).exists()
    assert "Réunion du bureau" in client.get("/").content.decode()
