"""Re-exported from `events.factories`."""

from events.factories import (
    VenueFactory,
    create_booking,
    create_commitment,
    create_room,
    first_saturday_room,
    hours,
    paris,
)

__all__ = [
    "VenueFactory",
    "create_booking",
    "create_commitment",
    "create_room",
    "first_saturday_room",
    "hours",
    "paris",
]
