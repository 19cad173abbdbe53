"""Signals of the agenda.

``occurrences_changed`` is sent by ``events.agenda.occurrences.rebuild`` inside the
transaction that changed an event's dates, once the stored rows are written,
and only when something changed:

    sender=EventPage (the class), event=<EventPage>,
    added=[aware starts], removed=[aware starts],
    cancelled=[starts newly cancelled], restored=[starts no longer cancelled]

Receivers (registrations, appointments, room bookings) may write to the
database in the same transaction; mail goes through the mail queue.

``validate_event`` is sent by ``EventPage.clean()`` once the event's own
fields are valid: ``sender=EventPage, event=<EventPage being saved>``; each
receiver returns ``{field: [French messages]}`` or ``{}`` (events.rooms.rules: the
room must be free on every date).
"""

from django.dispatch import Signal

occurrences_changed = Signal()
validate_event = Signal()
