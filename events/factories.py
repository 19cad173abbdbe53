"""Factories of the agenda: the agenda page, venues, event types, event
pages, registrations, appointments, rooms with their slots and closures,
bookings and financial commitments. Used by the tests and by the demo
(`events/demo/`); nothing here checks a rule or sends a mail."""

import datetime
import itertools
import zoneinfo
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from events.appointments import rules as appointments
from events.finance import rules as finance
from events.models import (
    Appointment,
    AppointmentSession,
    Booking,
    EventCancellation,
    EventExtraDate,
    EventIndexPage,
    EventPage,
    EventType,
    FinancialCommitment,
    Registration,
    RegistrationList,
    Room,
    RoomClosure,
    RoomSlot,
    Venue,
)
from events.rooms import rules as rooms
from home.factories import PageFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
_numbers = itertools.count(1)


def paris(year, month, day, hour=9, minute=30):
    """An aware datetime at this wall-clock time in Europe/Paris."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def hours(value):
    return datetime.timedelta(hours=value)


# --- Agenda ---------------------------------------------------------------------


class EventIndexPageFactory(PageFactory):
    class Meta:
        model = EventIndexPage

    title = "Agenda"
    slug = "agenda"
    show_in_menus = True


class VenueFactory(DjangoModelFactory):
    class Meta:
        model = Venue
        django_get_or_create = ("name",)

    name = "Médiathèque de Wimille"
    address = "Espace Pilâtre de Rozier, 3 rue de Ledinghen"
    postal_code = "62126"
    city = "Wimille"
    step_free_access = True
    hearing_loop = True
    transport_notes = "Arrêt « Wimille Mairie »."


class EventTypeFactory(DjangoModelFactory):
    class Meta:
        model = EventType
        django_get_or_create = ("slug",)

    slug = "petit-dej-du-libre"
    name = "Petit-déj du libre"


def create_event(
    parent,
    *,
    title="Petit déj' du libre",
    slug=None,
    start=None,
    duration=datetime.timedelta(hours=2, minutes=30),
    partners=(),
    tags=(),
    facilitators=(),
    cancellations=(),
    extra_dates=(),
    publish=True,
    **fields,
):
    """A live EventPage under ``parent`` (the agenda). ``cancellations`` are
    (date, reason) pairs, ``extra_dates`` aware starts. Without ``publish``
    the page is live but has no revision (fast, for bulk data)."""
    start = start or paris(2026, 12, 5)
    fields.setdefault("summary", "Venez avec vos questions sur le logiciel libre.")
    fields.setdefault("end", start + duration)
    if "event_type" not in fields:
        fields["event_type"] = EventTypeFactory()
    if "venue" not in fields:
        fields["venue"] = VenueFactory()
    slug = slug or f"evenement-{next(_numbers)}"
    page = EventPage(title=title, slug=slug, start=start, **fields)
    page.partners = list(partners)
    page.facilitators = list(facilitators)
    page.cancellations = [
        EventCancellation(date=day, reason=reason) for day, reason in cancellations
    ]
    page.extra_dates = [EventExtraDate(start=extra) for extra in extra_dates]
    if tags:
        page.tags.add(*tags)
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


# --- Registrations and appointments -----------------------------------------------


class RegistrationListFactory(DjangoModelFactory):
    """The list of one occurrence of an event, looked up first."""

    class Meta:
        model = RegistrationList
        django_get_or_create = ("event", "occurrence_start")


class RegistrationFactory(DjangoModelFactory):
    """A confirmed registration, stored as is: no seat rule, no mail."""

    class Meta:
        model = Registration

    name = factory.Sequence(lambda n: f"Personne {n}")
    email = factory.Sequence(lambda n: f"personne{n}@exemple.invalid")
    seats = 1
    status = Registration.Status.CONFIRMED
    consent_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyAttribute(lambda o: o.consent_at)


def appointment_event(
    home,
    *,
    start=None,
    duration=datetime.timedelta(hours=2),
    places=2,
    minutes=30,
    **fields,
):
    """A published weekly « assistance informatique » « sur rendez-vous »
    (Tuesday 1 December 2026, 14:00–16:00 Paris time by default)."""
    fields.setdefault("recurrence", "weekly")
    fields.setdefault("recurrence_count", 10)
    fields.setdefault(
        "event_type",
        EventTypeFactory(
            slug="assistance-informatique", name="Assistance informatique"
        ),
    )
    page = create_event(
        EventIndexPage.objects.get(),
        title=fields.pop("title", "Assistance informatique"),
        start=start or paris(2026, 12, 1, 14, 0),
        duration=duration,
        appointments_enabled=True,
        appointment_places=places,
        appointment_slot_minutes=minutes,
        **fields,
    )
    page.refresh_from_db()
    return page


class AppointmentSessionFactory(DjangoModelFactory):
    """The appointments of one occurrence, looked up first."""

    class Meta:
        model = AppointmentSession
        django_get_or_create = ("event", "occurrence_start")


class AppointmentFactory(DjangoModelFactory):
    """An appointment stored as is (no slot rule, no mail); its contact key
    is derived from the e-mail or phone as the booking form does."""

    class Meta:
        model = Appointment

    device = "ordinateur"
    need = "messagerie"
    name = factory.Sequence(lambda n: f"Personne {n}")
    email = factory.Sequence(lambda n: f"personne{n}@exemple.invalid")
    phone = ""
    contact_key = factory.LazyAttribute(
        lambda o: appointments.contact_key(o.email, o.phone)
    )
    consent_at = factory.LazyFunction(timezone.now)


# --- Rooms, bookings, money --------------------------------------------------------


def create_room(
    name="Salle d'animation",
    *,
    venue=None,
    capacity=30,
    slots=(),
    closures=(),
    **fields,
):
    """A room; ``slots`` are (start, end, recurrence kind) or (start, end,
    recurrence kind, label) with aware datetimes, ``closures`` (first day,
    last day, reason)."""
    room = Room.objects.create(
        venue=venue or VenueFactory(), name=name, capacity=capacity, **fields
    )
    for start, end, kind, *label in slots:
        RoomSlot.objects.create(
            room=room, start=start, end=end, recurrence=kind, label="".join(label)
        )
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
