"""Demo content of the agenda: the médiathèque as a venue, the event types,
the monthly petits dej' du libre and a few one-off events, as data; `load`
hands each to the agenda's factories.

Idempotent: everything is looked up by slug first and never overwritten.
"""

import datetime

from django.utils import timezone

from events.agenda import recurrence
from events.factories import EventTypeFactory, VenueFactory, create_event
from events.models import EventIndexPage, EventPage, EventType, Venue
from home.models import Partner
from volunteers.models import Volunteer

EVENT_TYPES = [
    ("petit-dej-du-libre", "Petit-déj du libre"),
    ("install-party", "Install party"),
    ("conference", "Conférence"),
    ("formation", "Formation"),
    ("assistance-informatique", "Assistance informatique"),
    ("fete-du-libre", "Fête du libre"),
    ("autre", "Autre"),
]

MEDIATHEQUE = {
    "name": "Médiathèque de Wimille",
    "address": "Espace Pilâtre de Rozier, 3 rue de Ledinghen",
    "postal_code": "62126",
    "city": "Wimille",
    "latitude": "50.762500",
    "longitude": "1.631900",
    "step_free_access": True,
    "adapted_toilets": True,
    "hearing_loop": False,
    "transport_notes": (
        "Bus Marinéo, arrêt «\u00a0Wimille Mairie\u00a0», à 3 minutes à pied."
    ),
    "accessibility_notes": (
        "Salle d'animation au rez-de-chaussée ; places de stationnement réservées "
        "devant l'Espace Pilâtre de Rozier."
    ),
}


def _at(day, hour, minute=0):
    return recurrence.localize(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )


def _nth_weekday(year, month, weekday, nth):
    day = datetime.date(year, month, 1)
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return day + datetime.timedelta(weeks=nth - 1)


ENTRY = "Entrée libre et gratuite."
ACCESSIBILITY_NOTES = (
    "Les bénévoles prennent le temps ; grands écrans et claviers à grosses "
    "touches disponibles."
)


def events(today):
    """The demo events (EventPage fields, and `type`, `partners` by slug,
    `accessible` for every kind of disability but hearing); one-off dates
    are placed relative to today so that the agenda is never empty."""
    nxt = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    after = (nxt + datetime.timedelta(days=32)).replace(day=1)
    third_saturday = _nth_weekday(nxt.year, nxt.month, 5, 3)
    conference_day = _nth_weekday(nxt.year, nxt.month, 3, 2)  # a Thursday
    fete_day = _nth_weekday(after.year, after.month, 5, 4)
    first_tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    return [
        {
            "slug": "petits-dej-du-libre",
            "title": "Les petits dej' du libre",
            "summary": (
                "Un café, des croissants et des logiciels libres : venez poser vos "
                "questions sur votre ordinateur ou votre téléphone, sans rendez-vous "
                "ni prérequis."
            ),
            "type": "petit-dej-du-libre",
            "audience": "tout-public",
            "start": _at(datetime.date(2026, 9, 5), 9, 30),
            "end": _at(datetime.date(2026, 9, 5), 12),
            "recurrence": "monthly_weekday",
            "capacity": 20,
            # The agreement's flagship meeting: always on the home page.
            "featured_on_home": True,
            "partners": ["mediatheque-wimille", "clx"],
            "tags": ["logiciels libres", "entraide", "débutants"],
            "accessible": True,
            "cancellations": [
                (
                    datetime.date(2027, 1, 2),
                    "Fermeture de la médiathèque pour les fêtes",
                )
            ],
        },
        {
            "slug": "install-party",
            "title": "Install party : passez à Linux",
            "summary": (
                "Apportez votre ordinateur (et vos sauvegardes) : les bénévoles de "
                "CLX vous aident à installer une distribution GNU/Linux."
            ),
            "type": "install-party",
            "audience": "tout-public",
            "start": _at(third_saturday, 14),
            "end": _at(third_saturday, 18),
            "capacity": 12,
            "partners": ["clx"],
            "tags": ["linux", "réemploi"],
        },
        {
            "slug": "conference-vie-privee",
            "title": "Conférence : protéger sa vie privée en ligne",
            "summary": (
                "Traqueurs, mots de passe, réglages du téléphone : une heure pour "
                "comprendre et reprendre la main, suivie d'un temps d'échange."
            ),
            "type": "conference",
            "audience": "tout-public",
            "start": _at(conference_day, 18, 30),
            "end": _at(conference_day, 20),
            "partners": ["mediatheque-wimille", "clx"],
            "tags": ["vie privée", "sécurité"],
        },
        {
            "slug": "assistance-informatique",
            "title": "Assistance informatique",
            "summary": (
                "Une permanence pour débloquer une démarche en ligne, configurer "
                "une messagerie ou transférer ses photos."
            ),
            "type": "assistance-informatique",
            "audience": "seniors",
            "start": _at(first_tuesday, 14),
            "end": _at(first_tuesday, 16),
            "recurrence": "weekly",
            "recurrence_count": 10,
            "partners": ["mediatheque-wimille"],
            "tags": ["démarches en ligne"],
        },
        {
            "slug": "fete-du-libre",
            "title": "La fête du libre",
            "summary": (
                "Démonstrations, stands, jeux libres et atelier de réparation : une "
                "journée pour découvrir le logiciel libre en famille."
            ),
            "type": "fete-du-libre",
            "audience": "familles",
            "start": _at(fete_day, 10),
            "end": _at(fete_day, 17),
            "partners": ["mediatheque-wimille", "clx"],
            "tags": ["logiciels libres", "famille"],
            "accessible": True,
        },
    ]


def load(home):
    report = []
    types = {}
    created = 0
    for order, (slug, name) in enumerate(EVENT_TYPES):
        created += not EventType.objects.filter(slug=slug).exists()
        types[slug] = EventTypeFactory(slug=slug, name=name, sort_order=order)
    report.append(f"Types d'événement créés : {created}.")

    created = not Venue.objects.filter(name=MEDIATHEQUE["name"]).exists()
    venue = VenueFactory(**MEDIATHEQUE)
    report.append(f"Lieu « {venue.name} » : {'créé' if created else 'déjà là'}.")

    index = EventIndexPage.objects.child_of(home).first()
    if index is None:
        report.append("Agenda absent : aucun événement de démonstration créé.")
        return report
    partners = {p.slug: p for p in Partner.objects.all()}
    facilitators = list(Volunteer.objects.all()[:2])

    created = 0
    for data in events(timezone.localdate()):
        if EventPage.objects.child_of(index).filter(slug=data["slug"]).exists():
            continue
        accessible = data.pop("accessible", False)
        event_type = types[data.pop("type")]
        slugs = data.pop("partners")
        create_event(
            index,
            **data,
            event_type=event_type,
            venue=venue,
            partners=[partners[slug] for slug in slugs if slug in partners],
            facilitators=facilitators,
            access_motor=accessible,
            access_hearing=False,
            access_visual=accessible,
            access_intellectual=accessible,
            access_psychic=accessible,
            accessibility_notes=ACCESSIBILITY_NOTES,
            body=[
                {
                    "type": "paragraph",
                    "value": f"<p>{data['summary']}</p><p>{ENTRY}</p>",
                }
            ],
        )
        created += 1
    report.append(f"Événements créés : {created}.")
    return report
