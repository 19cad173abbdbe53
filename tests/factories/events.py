"""Re-exported from `events.factories`."""

from events.factories import (
    PARIS,
    EventIndexPageFactory,
    EventTypeFactory,
    VenueFactory,
    create_event,
    paris,
)

__all__ = [
    "EventIndexPageFactory",
    "EventTypeFactory",
    "PARIS",
    "VenueFactory",
    "create_event",
    "paris",
]
