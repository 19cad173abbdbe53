"""Demo rooms, bookings and money: the médiathèque's salle d'animation and
the bureau lent to CLX with their agreed slots, the holiday closure, a
pending request from CLX, a confirmed booking already turned into a draft
event whose town-paid and shared expenses wait for their agreements, and
the town's membership of CLX for this year.

Idempotent: rooms are looked up by name, bookings by purpose, so running it
again changes nothing. No e-mail is sent (sample data, rules bypassed where
they would mail)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from events.agenda import recurrence
from events.factories import create_booking, create_commitment, create_room
from events.models import Booking, EventIndexPage, EventPage, EventType, Room, Venue
from events.rooms import rules as rooms
from home.factories import MembershipFactory
from home.models import Membership, Partner

PENDING_PURPOSE = "Install party de CLX"
CONFIRMED_PURPOSE = "Atelier « Un smartphone sans Google »"


def _at(day, hour, minute=0):
    return recurrence.localize(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )


def _nth_saturday(day, months_later, nth):
    """The nth Saturday of the month `months_later` months after `day`'s."""
    for _ in range(months_later):
        day = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    day = day.replace(day=1)
    day += datetime.timedelta(days=(5 - day.weekday()) % 7)
    return day + datetime.timedelta(weeks=nth - 1)


ROOMS = [
    {
        "name": "Salle d'animation",
        "capacity": 30,
        "description": (
            "Rez-de-chaussée, vidéoprojecteur et tables modulables. Balayer et "
            "ranger après chaque utilisation."
        ),
        "slots": [
            (
                _at(datetime.date(2026, 9, 5), 9),
                _at(datetime.date(2026, 9, 5), 12, 30),
                "monthly_weekday",
                "Petits dej' du libre",
            ),
            (
                _at(datetime.date(2026, 9, 19), 14),
                _at(datetime.date(2026, 9, 19), 18),
                "monthly_weekday",
                "Ateliers et install parties",
            ),
        ],
        "closures": [
            (
                datetime.date(2026, 12, 24),
                datetime.date(2027, 1, 3),
                "Fermeture de la médiathèque pour les fêtes",
            )
        ],
    },
    {
        "name": "Bureau de CLX",
        "capacity": 4,
        "sort_order": 1,
        "description": "Rangement du matériel de CLX ; une seule clé, remise à CLX.",
        "slots": [
            (
                _at(datetime.date(2026, 9, 2), 14),
                _at(datetime.date(2026, 9, 2), 18),
                "weekly",
                "Permanence matériel",
            )
        ],
    },
]


def bookings(today, salle, coordination, moderation):
    """A request CLX waits on, and a confirmed one (which `load` turns into
    a draft event with its expenses), in the coming months."""
    pending_day = _nth_saturday(today, 1, 3)
    confirmed_day = _nth_saturday(today, 2, 3)
    common = {
        "room": salle,
        "setup": 30,
        "tidy": 30,
        "requested_by": coordination,
    }
    return [
        {
            **common,
            "purpose": PENDING_PURPOSE,
            "details": "Installation de distributions Linux sur les ordinateurs "
            "apportés par les participants.",
            "start": _at(pending_day, 14, 30),
            "end": _at(pending_day, 17, 30),
            "expected_attendance": 15,
        },
        {
            **common,
            "purpose": CONFIRMED_PURPOSE,
            "details": "Installer /e/OS ou LineageOS, sauvegarder ses données.",
            "start": _at(confirmed_day, 14, 30),
            "end": _at(confirmed_day, 17, 30),
            "expected_attendance": 12,
            "status": Booking.Status.CONFIRMED,
            "decided_by": moderation,
            "decided_at": timezone.now(),
            "decision_comment": "D'accord, la salle est à vous.",
        },
    ]


# What the coordinator filled in after drafting the confirmed booking's event.
CONFIRMED_EVENT = {"event_type": "formation", "partners": ["clx"]}
CONFIRMED_EXPENSES = [
    ("Viennoiseries et boissons", "60.00", "ville"),
    ("Clés USB pour les sauvegardes des participants", "96.00", "partage"),
]

MEMBERSHIP = {"partner": "clx", "amount": "50.00", "notes": "Mandat de démonstration"}


def load(home):
    venue = Venue.objects.filter(name="Médiathèque de Wimille").first()
    if venue is None:
        return ["Salles de démonstration : lieu « Médiathèque de Wimille » absent."]
    report = []
    created = 0
    found = {}
    for data in ROOMS:
        room = Room.objects.filter(venue=venue, name=data["name"]).first()
        if room is None:
            room = create_room(venue=venue, **data)
            created += 1
        found[data["name"]] = room
    salle = found["Salle d'animation"]
    report.append(f"Salles : {created} créée(s), créneaux et fermeture des fêtes.")

    # The monthly petits dej' take place in the salle d'animation.
    EventPage.objects.filter(slug="petits-dej-du-libre", room__isnull=True).update(
        room=salle
    )

    User = get_user_model()
    coordination = User.objects.filter(username="clx-coordination").first()
    moderation = User.objects.filter(username="moderation").first()
    today = timezone.localdate()
    for data in bookings(today, salle, coordination, moderation):
        if Booking.objects.filter(purpose=data["purpose"]).exists():
            continue
        booking = create_booking(**data)
        if booking.status == Booking.Status.PENDING:
            report.append("Demande de salle en attente (CLX) : créée.")
            continue
        agenda = EventIndexPage.objects.child_of(home).first()
        if agenda is not None:
            event = rooms.draft_event(booking, coordination, agenda)
            event.event_type = EventType.objects.filter(
                slug=CONFIRMED_EVENT["event_type"]
            ).first()
            event.partners = list(
                Partner.objects.filter(slug__in=CONFIRMED_EVENT["partners"])
            )
            event.save_revision(user=coordination)
            for label, amount, payer in CONFIRMED_EXPENSES:
                create_commitment(
                    event, label=label, amount=amount, payer=payer, user=coordination
                )
        report.append(
            "Réservation confirmée, brouillon d'événement et dépenses en attente "
            "de la ville : créés."
        )

    partner = Partner.objects.filter(slug=MEMBERSHIP["partner"]).first()
    if partner is not None:
        if not Membership.objects.filter(partner=partner, year=today.year).exists():
            MembershipFactory(
                partner=partner,
                year=today.year,
                amount=Decimal(MEMBERSHIP["amount"]),
                paid_on=min(today, datetime.date(today.year, 3, 15)),
                notes=MEMBERSHIP["notes"],
            )
            report.append(f"Adhésion {today.year} de la ville à CLX : enregistrée.")
    return report
