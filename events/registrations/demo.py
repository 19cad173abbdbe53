"""Demo registrations: a few people on the next petit dej' du libre, so staff
see the admin's counts, export and attendance sheet with something in them.

Idempotent: a demo person already registered to that occurrence is left as
they are. The addresses use the reserved `.invalid` domain, and no e-mail
is sent (the rules are bypassed on purpose: this is sample data)."""

from django.utils import timezone

from events.factories import RegistrationFactory, RegistrationListFactory
from events.models import EventPage, Registration
from portal import formats

EVENT_SLUG = "petits-dej-du-libre"

PEOPLE = [
    # name, e-mail, phone, seats, status
    ("Jeanne Delattre", "jeanne.delattre@exemple.invalid", "03 21 00 00 01", 1, "c"),
    ("Michel Caron", "michel.caron@exemple.invalid", "", 2, "c"),
    ("Sabine Lefebvre", "sabine.lefebvre@exemple.invalid", "06 00 00 00 03", 1, "c"),
    ("Karim Benali", "karim.benali@exemple.invalid", "", 1, "c"),
    ("Odile Vasseur", "odile.vasseur@exemple.invalid", "", 2, "x"),
]


def load(home):
    event = EventPage.objects.filter(slug=EVENT_SLUG).first()
    if event is None or event.capacity is None:
        return ["Inscriptions de démonstration : petit dej' du libre introuvable."]
    now = timezone.now()
    occurrence = next(
        (o for o in event.occurrences(start=now) if o.start > now and not o.cancelled),
        None,
    )
    if occurrence is None:
        return ["Inscriptions de démonstration : aucune date à venir."]
    RegistrationListFactory(event=event, occurrence_start=occurrence.start)
    created = 0
    for name, email, phone, seats, status in PEOPLE:
        if Registration.objects.filter(
            event=event, occurrence_start=occurrence.start, email=email
        ).exists():
            continue
        cancelled = status == "x"
        RegistrationFactory(
            event=event,
            occurrence_start=occurrence.start,
            name=name,
            email=email,
            phone=phone,
            seats=seats,
            consent_at=now,
            **(
                {"status": Registration.Status.CANCELLED, "cancelled_at": now}
                if cancelled
                else {}
            ),
        )
        created += 1
    day = formats.short_date(occurrence.start)
    return [
        f"Inscriptions de démonstration au petit dej' du {day} : {created} créée(s)."
    ]
