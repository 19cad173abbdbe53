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

from events import recurrence
from events.models import (
    Booking,
    EventIndexPage,
    EventPage,
    EventType,
    FinancialCommitment,
    Room,
    RoomClosure,
    RoomSlot,
    Venue,
)
from home.models import Membership, Partner

from . import finance, rooms

SALLE = "Salle d'animation"
BUREAU = "Bureau de CLX"
PENDING_PURPOSE = "Install party de CLX"
CONFIRMED_PURPOSE = "Atelier « Un smartphone sans Google »"


def _at(day, hour, minute=0):
    return recurrence.localize(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )


def _nth_saturday(year, month, nth):
    day = datetime.date(year, month, 1)
    day += datetime.timedelta(days=(5 - day.weekday()) % 7)
    return day + datetime.timedelta(weeks=nth - 1)


def _month_after(day, months=1):
    for _ in range(months):
        day = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return day


def _room(venue, name, **fields):
    room = Room.objects.filter(venue=venue, name=name).first()
    if room is not None:
        return room, False
    return Room.objects.create(venue=venue, name=name, **fields), True


def _slot(room, label, start, end, kind):
    slot = RoomSlot(room=room, label=label, start=start, end=end, recurrence=kind)
    slot.save()


def load(home):
    venue = Venue.objects.filter(name="Médiathèque de Wimille").first()
    if venue is None:
        return ["Salles de démonstration : lieu « Médiathèque de Wimille » absent."]
    report = []
    salle, created = _room(
        venue,
        SALLE,
        capacity=30,
        description=(
            "Rez-de-chaussée, vidéoprojecteur et tables modulables. Balayer et "
            "ranger après chaque utilisation."
        ),
    )
    if created:
        _slot(
            salle,
            "Petits dej' du libre",
            _at(datetime.date(2026, 9, 5), 9),
            _at(datetime.date(2026, 9, 5), 12, 30),
            "monthly_weekday",
        )
        _slot(
            salle,
            "Ateliers et install parties",
            _at(datetime.date(2026, 9, 19), 14),
            _at(datetime.date(2026, 9, 19), 18),
            "monthly_weekday",
        )
        RoomClosure.objects.create(
            room=salle,
            first_day=datetime.date(2026, 12, 24),
            last_day=datetime.date(2027, 1, 3),
            reason="Fermeture de la médiathèque pour les fêtes",
        )
    bureau, created_bureau = _room(
        venue,
        BUREAU,
        capacity=4,
        sort_order=1,
        description="Rangement du matériel de CLX ; une seule clé, remise à CLX.",
    )
    if created_bureau:
        _slot(
            bureau,
            "Permanence matériel",
            _at(datetime.date(2026, 9, 2), 14),
            _at(datetime.date(2026, 9, 2), 18),
            "weekly",
        )
    report.append(
        f"Salles : {int(created) + int(created_bureau)} créée(s), créneaux et "
        "fermeture des fêtes."
    )

    # The monthly petits dej' take place in the salle d'animation.
    EventPage.objects.filter(slug="petits-dej-du-libre", room__isnull=True).update(
        room=salle
    )

    User = get_user_model()
    coordination = User.objects.filter(username="clx-coordination").first()
    moderation = User.objects.filter(username="moderation").first()
    today = timezone.localdate()

    if not Booking.objects.filter(purpose=PENDING_PURPOSE).exists():
        day = _nth_saturday(*_month_after(today).timetuple()[:2], 3)
        booking = Booking(
            room=salle,
            purpose=PENDING_PURPOSE,
            details="Installation de distributions Linux sur les ordinateurs "
            "apportés par les participants.",
            start=_at(day, 14, 30),
            end=_at(day, 17, 30),
            setup_minutes=30,
            tidy_minutes=30,
            expected_attendance=15,
            requested_by=coordination,
        )
        booking.save()
        rooms.store_dates(booking)
        report.append("Demande de salle en attente (CLX) : créée.")

    if not Booking.objects.filter(purpose=CONFIRMED_PURPOSE).exists():
        day = _nth_saturday(*_month_after(today, 2).timetuple()[:2], 3)
        booking = Booking(
            room=salle,
            purpose=CONFIRMED_PURPOSE,
            details="Installer /e/OS ou LineageOS, sauvegarder ses données.",
            start=_at(day, 14, 30),
            end=_at(day, 17, 30),
            setup_minutes=30,
            tidy_minutes=30,
            expected_attendance=12,
            requested_by=coordination,
            status=Booking.Status.CONFIRMED,
            decided_by=moderation,
            decided_at=timezone.now(),
            decision_comment="D'accord, la salle est à vous.",
        )
        booking.save()
        rooms.store_dates(booking)
        agenda = EventIndexPage.objects.child_of(home).first()
        if agenda is not None:
            event = rooms.draft_event(booking, coordination, agenda)
            # What the coordinator filled in after drafting it.
            event.event_type = EventType.objects.filter(slug="formation").first()
            event.partners = list(Partner.objects.filter(slug="clx"))
            event.save_revision(user=coordination)
            for label, amount, payer in [
                ("Viennoiseries et boissons", "60.00", FinancialCommitment.Payer.TOWN),
                (
                    "Clés USB pour les sauvegardes des participants",
                    "96.00",
                    FinancialCommitment.Payer.SHARED,
                ),
            ]:
                finance.save_line(
                    FinancialCommitment(
                        event=event, label=label, amount=Decimal(amount), payer=payer
                    ),
                    coordination,
                )
        report.append(
            "Réservation confirmée, brouillon d'événement et dépenses en attente "
            "de la ville : créés."
        )

    clx = Partner.objects.filter(slug="clx").first()
    if clx is not None:
        _, created = Membership.objects.get_or_create(
            partner=clx,
            year=today.year,
            defaults={
                "amount": Decimal("50.00"),
                "paid_on": min(today, datetime.date(today.year, 3, 15)),
                "notes": "Mandat de démonstration",
            },
        )
        if created:
            report.append(f"Adhésion {today.year} de la ville à CLX : enregistrée.")
    return report
