"""Demo appointments: the « assistance informatique » permanence becomes
« sur rendez-vous » (30-minute slots, two volunteers on duty, the two demo
volunteers as facilitators, the first one facilitating with the
clx-coordination account), with three people booked on its next date so
staff see the day sheet with something in it.

Idempotent: an event already « sur rendez-vous » keeps its settings, and a
demo person already booked on that date is left as they are. Addresses use
the reserved `.invalid` domain and no e-mail is sent (the rules are bypassed
on purpose: this is sample data)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from events.appointments import rules
from events.factories import AppointmentFactory, AppointmentSessionFactory
from events.models import EventPage, Venue
from portal import formats
from volunteers.models import Volunteer, VolunteerAccount

EVENT_SLUG = "assistance-informatique"
# The demo account through which the first facilitator sees the day sheet.
FACILITATOR_ACCOUNT = "clx-coordination"
VOLUNTEERS_ON_DUTY = 2

PEOPLE = [
    # slot index, name, e-mail, phone, device, system, need, details
    (
        0,
        "Gisèle Fournier",
        "gisele.fournier@exemple.invalid",
        "",
        "ordinateur",
        "Windows 10",
        "lent-panne",
        "Il met dix minutes à démarrer.",
    ),
    (
        0,
        "Henri Lemaire",
        "",
        "03 21 00 00 07",
        "telephone",
        "Android",
        "demarche",
        "Prendre rendez-vous à la préfecture pour ma carte grise.",
    ),
    (
        2,
        "Yasmina Haddad",
        "yasmina.haddad@exemple.invalid",
        "",
        "tablette",
        "",
        "photos",
        "Transférer les photos de ma tablette sur une clé USB.",
    ),
]


def load(home):
    event = EventPage.objects.filter(slug=EVENT_SLUG).first()
    if event is None:
        return ["Rendez-vous de démonstration : assistance informatique introuvable."]
    if event.venue_id is None or not event.appointments_enabled:
        if event.venue_id is None:
            # Appointments say where they happen; its closures close them.
            event.venue = Venue.objects.filter(name="Médiathèque de Wimille").first()
        if not event.appointments_enabled:
            event.appointments_enabled = True
            event.appointment_slot_minutes = 30
            event.appointment_places = VOLUNTEERS_ON_DUTY
            event.capacity = None
            event.facilitators = list(Volunteer.objects.order_by("pk")[:2])
        event.save_revision().publish()
    _link_facilitator_account(event)
    now = timezone.now()
    days = rules.bookable(event, now)
    if not days:
        return ["Rendez-vous de démonstration : aucune date à venir."]
    day = days[0]
    session = AppointmentSessionFactory(
        event=event, occurrence_start=day.occurrence.start
    )
    created = 0
    for index, name, email, phone, device, system, need, details in PEOPLE:
        key = rules.contact_key(email, phone)
        if session.appointments.filter(contact_key=key).exists():
            continue
        slot = day.slots[min(index, len(day.slots) - 1)]
        AppointmentFactory(
            session=session,
            slot_start=slot.start,
            slot_end=slot.end,
            device=device,
            system=system,
            need=need,
            need_details=details,
            name=name,
            email=email,
            phone=phone,
            consent_at=now,
        )
        created += 1
    date = formats.short_date(day.occurrence.start)
    return [
        "Assistance informatique sur rendez-vous (2 bénévoles) ; rendez-vous de "
        f"démonstration le {date} : {created} créé(s)."
    ]


def _link_facilitator_account(event):
    """The médiathèque's link between the first facilitator and the demo
    CLX coordinator's account (left alone when either is already linked)."""
    user = get_user_model().objects.filter(username=FACILITATOR_ACCOUNT).first()
    volunteer = event.facilitators.order_by("pk").first()
    if user is None or volunteer is None:
        return
    linked = VolunteerAccount.objects.filter(volunteer=volunteer).exists()
    if not linked and not VolunteerAccount.objects.filter(user=user).exists():
        VolunteerAccount.objects.create(volunteer=volunteer, user=user)
