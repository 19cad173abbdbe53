"""Admin viewsets of the agenda, one module per family, registered by
`events/wagtail_hooks.py`:

- `agenda`: venues and event types (snippets);
- `registrations`: occurrences with registrations, people registered, one
  occurrence's pages and exports;
- `rooms`: rooms, their bookings, the events' financial commitments;
- `appointments`: the appointments' day, day sheets and yearly report;
- `relay`: the agenda's e-mail subscribers and « Diffuser l'agenda ».
"""

from .agenda import AgendaViewSetGroup, EventTypeViewSet, VenueViewSet
from .appointments import AppointmentReportViewSet, AppointmentViewSet
from .registrations import (
    RegistrationListViewSet,
    RegistrationOccurrenceViewSet,
    RegistrationViewSet,
    RegistrationViewSetGroup,
)
from .relay import ShareViewSet, SubscriberViewSet
from .rooms import (
    BookingViewSet,
    CommitmentViewSet,
    EventPageViewSet,
    RoomsViewSetGroup,
    RoomViewSet,
)

__all__ = [
    "AgendaViewSetGroup",
    "AppointmentReportViewSet",
    "AppointmentViewSet",
    "EventPageViewSet",
    "BookingViewSet",
    "CommitmentViewSet",
    "EventTypeViewSet",
    "RegistrationListViewSet",
    "RegistrationOccurrenceViewSet",
    "RegistrationViewSet",
    "RegistrationViewSetGroup",
    "RoomViewSet",
    "RoomsViewSetGroup",
    "ShareViewSet",
    "SubscriberViewSet",
    "VenueViewSet",
]
