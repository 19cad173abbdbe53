"""The closures of the places where events happen, read in one query.

A date of an event that falls in a closure of its place does not happen,
whatever its rule says: the médiathèque records its holidays as closures
of its rooms (`RoomClosure`), and an event's place is closed during a
closure of its room or, without a room, of any room of its venue. An online
event is never closed, except for its appointment slots, which are held at
its venue whatever its attendance mode (``even_online``,
events.appointments.rules).

`Closures` reads the closures of a span in one query, for any number of
events, so a listing (the month's programme, the grouped agenda's page, a
poster: events.programme) or an event's appointment slots pay one query
whatever their size."""

from django.db.models import Q
from django.utils import timezone

from events.agenda import recurrence
from events.models import RoomClosure
from portal.prepared import prepared_query


class Closures:
    def __init__(self, start, end, events=None):
        """The closures overlapping [start, end) (aware datetimes): of the
        rooms and venues of ``events`` if given, else of every place."""
        local = recurrence.local_tz()
        last_day = timezone.localtime(end, local).date()
        first_day = timezone.localtime(start, local).date()
        self.by_room = {}
        self.by_venue = {}
        room_ids, venue_ids = [], []
        if events is not None:
            room_ids = sorted({e.room_id for e in events if e.room_id})
            venue_ids = sorted(
                {e.venue_id for e in events if e.venue_id and not e.room_id}
            )
            if not room_ids and not venue_ids:
                return
        rows = _closures(
            last_day, first_day, room_ids, venue_ids, every_place=events is None
        )
        for closure in rows:
            span = (*closure.span, closure.reason)
            self.by_room.setdefault(closure.room_id, []).append(span)
            self.by_venue.setdefault(closure.room.venue_id, []).append(span)

    @classmethod
    def of_occurrences(cls, occurrences):
        """The closures of the places of these occurrences' events (each
        read with its ``event``) over the span the occurrences cover."""
        return cls(
            min(o.start for o in occurrences),
            max(o.end for o in occurrences),
            [o.event for o in occurrences],
        )

    def spans(self, event, *, even_online=False):
        """[(start, end, reason)] of the closures of the place of ``event``:
        its room's, else those of every room of its venue; none for an
        online event unless ``even_online``."""
        if event.attendance_mode == "online" and not even_online:
            return []
        if event.room_id:
            return self.by_room.get(event.room_id, [])
        if event.venue_id:
            return self.by_venue.get(event.venue_id, [])
        return []

    def reason(self, event, occurrence, *, even_online=False):
        """Why the place of ``event`` is closed during ``occurrence`` (its
        reason, « vacances de Noël »), or None when it is open."""
        for start, end, reason in self.spans(event, even_online=even_online):
            if start < occurrence.end and occurrence.start < end:
                return reason
        return None


@prepared_query
def _closures(last_day, first_day, room_ids, venue_ids, *, every_place):
    """The closures of [first_day, last_day], of these rooms and of any room
    of these venues (of every place with ``every_place``), with their room:
    one query, compiled once per shape (portal.prepared)."""
    rows = RoomClosure.objects.filter(
        first_day__lte=last_day, last_day__gte=first_day
    ).select_related("room")
    if not every_place:
        rows = rows.filter(Q(room_id__in=room_ids) | Q(room__venue_id__in=venue_ids))
    return rows.order_by("first_day", "pk")
