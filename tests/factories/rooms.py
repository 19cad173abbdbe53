"""Factories for rooms, their slots and closures, bookings and financial
commitments."""

import datetime
from decimal import Decimal

from events import finance, rooms
from events.models import (
    Booking,
    FinancialCommitment,
    Room,
    RoomClosure,
    RoomSlot,
)

from .events import VenueFactory, paris


def create_room(
    name="Salle d'animation",
    *,
    venue=None,
    capacity=30,
    slots=(),
    closures=(),
):
    """A room; ``slots`` are (start, end, recurrence kind) with aware
    datetimes, ``closures`` (first day, last day, reason)."""
    room = Room.objects.create(
        venue=venue or VenueFactory(), name=name, capacity=capacity
    )
    for start, end, kind in slots:
        RoomSlot.objects.create(room=room, start=start, end=end, recurrence=kind)
    for first_day, last_day, reason in closures:
        RoomClosure.objects.create(
            room=room, first_day=first_day, last_day=last_day, reason=reason
        )
    return room


def first_saturday_room(**fields):
    """The salle d'animation lent on the first Saturday of each month,
    9 h – 12 h 30, from November 2026."""
    return create_room(
        slots=[
            (paris(2026, 11, 7, 9, 0), paris(2026, 11, 7, 12, 30), "monthly_weekday")
        ],
        **fields,
    )


def create_booking(
    room,
    start,
    end,
    *,
    purpose="Petit déj' du libre",
    status=Booking.Status.PENDING,
    setup=15,
    tidy=15,
    requested_by=None,
    **fields,
):
    """A booking with its stored dates; no rule checked, no mail sent."""
    booking = Booking(
        room=room,
        start=start,
        end=end,
        purpose=purpose,
        status=status,
        setup_minutes=setup,
        tidy_minutes=tidy,
        expected_attendance=fields.pop("expected_attendance", 12),
        requested_by=requested_by,
        **fields,
    )
    booking.save()
    rooms.store_dates(booking)
    return booking


def create_commitment(event, *, payer="ville", amount="60.00", label=None, user=None):
    return finance.save_line(
        FinancialCommitment(
            event=event,
            label=label or "Viennoiseries et boissons",
            amount=Decimal(amount),
            payer=payer,
        ),
        user,
    )


def hours(value):
    return datetime.timedelta(hours=value)
