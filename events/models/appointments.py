"""Appointments in « assistance informatique » sessions: short one-to-one
slots, what the person brings and needs, and what the volunteers did.

An `AppointmentSession` row stands for one occurrence of an event « sur
rendez-vous »: it is the row locked while slots are decided (see
`events.appointments.rules`), carries the number of volunteers on duty that date
(parallel places per slot) and whether the date was cancelled. Once
personal data is purged, `AppointmentTally` rows keep only anonymous counts
per device, need and outcome, for the partners' yearly report.
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models.locks import OccurrenceLock, format_start

__all__ = [
    "Appointment",
    "AppointmentSession",
    "AppointmentTally",
    "Device",
    "Need",
    "Attendance",
    "Result",
]


class Device(models.TextChoices):
    COMPUTER = "ordinateur", _("Un ordinateur (portable ou fixe)")
    PHONE = "telephone", _("Un téléphone")
    TABLET = "tablette", _("Une tablette")
    OTHER = "autre", _("Autre chose, ou rien")


class Need(models.TextChoices):
    ONLINE_PROCEDURE = "demarche", _("Une démarche en ligne")
    EMAIL = "messagerie", _("La messagerie (e-mails)")
    PHOTOS = "photos", _("Les photos")
    FREE_SOFTWARE = "logiciel-libre", _("Installer un logiciel libre")
    SLOW = "lent-panne", _("Un ordinateur lent ou en panne")
    OTHER = "autre", _("Autre chose")


class Attendance(models.TextChoices):
    UNKNOWN = "", _("pas encore noté")
    CAME = "venu", _("venu")
    ABSENT = "absent", _("absent")


class Result(models.TextChoices):
    UNKNOWN = "", _("pas encore noté")
    SOLVED = "resolu", _("résolu")
    FOLLOW_UP = "a-revoir", _("à revoir")
    REFERRED = "oriente", _("orienté vers…")


class AppointmentSession(OccurrenceLock):
    """The appointments of one occurrence of an event, as a whole."""

    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name="appointment_sessions",
    )
    places = models.PositiveSmallIntegerField(
        _("bénévoles de permanence"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_(
            "Rendez-vous en parallèle sur chaque créneau de cette date. Vide : "
            "la valeur de l'événement."
        ),
    )
    cancelled_at = models.DateTimeField(_("séance annulée le"), null=True, blank=True)

    # A slot's places come from the event: read it with the locked row.
    locked_with = ("event",)

    class Meta(OccurrenceLock.Meta):
        verbose_name = _("séance sur rendez-vous")
        verbose_name_plural = _("séances sur rendez-vous")

    @property
    def places_per_slot(self):
        return self.places or self.event.appointment_places or 1


class AppointmentQuerySet(models.QuerySet):
    def booked(self):
        return self.filter(status=Appointment.Status.BOOKED)

    def holding(self):
        """What takes a place in a slot: appointments, and places held for
        someone who already had one (see `events.appointments.rules.book`)."""
        return self.filter(
            status__in=[Appointment.Status.BOOKED, Appointment.Status.HELD]
        )


class Appointment(models.Model):
    """One person in one slot of an occurrence, with what they need and,
    once seen, what the volunteers did."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("réservé")
        CANCELLED = "cancelled", _("annulé")
        # A second request with the contact of someone already booked that
        # day: it takes its place like a new booking (so the public slot
        # list cannot tell who has an appointment), kept for the owner.
        HELD = "held", _("place gardée")

    class CancelledBy(models.TextChoices):
        PERSON = "person", _("la personne")
        STAFF = "staff", _("l'équipe")
        OCCURRENCE = "occurrence", _("séance annulée")

    session = models.ForeignKey(
        AppointmentSession,
        verbose_name=_("séance"),
        on_delete=models.CASCADE,
        related_name="appointments",
    )
    slot_start = models.DateTimeField(_("début du créneau"))
    slot_end = models.DateTimeField(_("fin du créneau"))
    device = models.CharField(_("appareil"), max_length=12, choices=Device.choices)
    system = models.CharField(_("système"), max_length=80, blank=True)
    need = models.CharField(_("besoin"), max_length=16, choices=Need.choices)
    need_details = models.CharField(_("précisions"), max_length=300, blank=True)
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # The e-mail (lower case) or else the phone's digits: who the person is
    # for « one appointment per occurrence ».
    contact_key = models.CharField(_("contact (clé)"), max_length=254, editable=False)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    cancelled_by = models.CharField(
        _("annulé par"), max_length=10, choices=CancelledBy.choices, blank=True
    )
    consent_at = models.DateTimeField(_("consentement donné le"))
    public_id = models.UUIDField(
        _("identifiant public"), default=uuid.uuid4, unique=True, editable=False
    )
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("réservé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    # What the volunteers record.
    attendance = models.CharField(
        _("présence"), max_length=8, choices=Attendance.choices, blank=True
    )
    result = models.CharField(
        _("résultat"), max_length=10, choices=Result.choices, blank=True
    )
    referred_to = models.CharField(
        _("orienté vers"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « France Services », « un réparateur »."),
    )
    free_software_installed = models.BooleanField(
        _("logiciel libre installé"), default=False
    )
    computer_restored = models.BooleanField(
        _("ordinateur remis en service"), default=False
    )
    notes = models.TextField(
        _("ce qui a été fait"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Pour la prochaine visite. Pas de mot de passe ni de donnée de santé."
        ),
    )
    recorded_at = models.DateTimeField(_("suivi noté le"), null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        ordering = ["slot_start", "pk"]
        permissions = [
            (
                "record_appointment",
                _("Voir la journée et noter le suivi des rendez-vous animés"),
            ),
            ("report_appointment", _("Voir le bilan anonyme des rendez-vous")),
        ]
        constraints = [
            # One live appointment per person and occurrence.
            models.UniqueConstraint(
                fields=["session", "contact_key"],
                condition=Q(status="booked"),
                name="events_appointment_one_per_person",
            )
        ]
        indexes = [
            models.Index(
                fields=["session", "status", "slot_start"],
                name="events_appt_slot_idx",
            ),
            models.Index(fields=["slot_start"], name="events_appt_start_idx"),
        ]

    def __str__(self):
        return f"{self.name} – {format_start(self.slot_start)}"

    @property
    def is_booked(self):
        return self.status == self.Status.BOOKED

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def event(self):
        return self.session.event


class AppointmentTally(models.Model):
    """Anonymous counts of purged appointments of one session, per device,
    need and outcome: all that is left once names and contacts are gone."""

    session = models.ForeignKey(
        AppointmentSession,
        verbose_name=_("séance"),
        on_delete=models.CASCADE,
        related_name="tallies",
    )
    status = models.CharField(_("statut"), max_length=10)
    device = models.CharField(_("appareil"), max_length=12, choices=Device.choices)
    need = models.CharField(_("besoin"), max_length=16, choices=Need.choices)
    attendance = models.CharField(_("présence"), max_length=8, blank=True)
    result = models.CharField(_("résultat"), max_length=10, blank=True)
    free_software_installed = models.BooleanField(default=False)
    computer_restored = models.BooleanField(default=False)
    count = models.PositiveIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("compte anonyme de rendez-vous")
        verbose_name_plural = _("comptes anonymes de rendez-vous")

    def __str__(self):
        return f"{self.session} – {self.need} × {self.count}"
