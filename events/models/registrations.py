"""Registrations to one occurrence of an event.

A `RegistrationList` row stands for one occurrence that people register to:
it is the row locked while seats are decided (see `events.registrations.rules`),
carries staff's « fermer les inscriptions » and, once personal data has been
purged, the anonymous counts that are kept for statistics.
"""

import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models.locks import OccurrenceLock, format_start

__all__ = ["Registration", "RegistrationList"]


class RegistrationList(OccurrenceLock):
    """The registrations of one occurrence of an event, as a whole."""

    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name="registration_lists",
    )
    closed_at = models.DateTimeField(
        _("inscriptions fermées le"),
        null=True,
        blank=True,
        help_text=_("Rempli quand l'équipe ferme les inscriptions de cette séance."),
    )
    # Kept after the purge, so the médiathèque can still count its audience.
    purged_confirmed_seats = models.PositiveIntegerField(
        _("places confirmées (après effacement)"), default=0
    )
    purged_attended = models.PositiveIntegerField(
        _("présents (après effacement)"), default=0
    )

    class Meta(OccurrenceLock.Meta):
        verbose_name = _("séance avec inscriptions")
        verbose_name_plural = _("séances avec inscriptions")

    @property
    def is_closed(self):
        return self.closed_at is not None


class RegistrationQuerySet(models.QuerySet):
    def for_occurrence(self, event, occurrence_start):
        return self.filter(event=event, occurrence_start=occurrence_start)

    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def holding_seats(self):
        """Confirmed registrations and holds awaiting their address's
        confirmation: the seats nobody else may take."""
        return self.filter(
            status__in=[Registration.Status.CONFIRMED, Registration.Status.PENDING]
        )

    def overdue(self, now):
        """Unconfirmed registrations whose time to confirm is over."""
        return self.filter(hold_expires_at__lte=now)

    def waiting(self):
        # The waiting list is served in the order people joined it.
        return self.filter(status=Registration.Status.WAITING).order_by(
            "queued_at", "pk"
        )


class Registration(models.Model):
    """One person (and the seats they booked) for one occurrence of an event."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmée")
        # Seats held until `hold_expires_at` for the address to confirm.
        PENDING = "pending", _("en attente de confirmation")
        WAITING = "waiting", _("liste d'attente")
        CANCELLED = "cancelled", _("annulée")

    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    occurrence_start = models.DateTimeField(
        _("début de la séance"),
        help_text=_("Date et heure de la séance choisie (heure de Paris)."),
    )
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"), max_length=254)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    seats = models.PositiveSmallIntegerField(
        _("nombre de places"), default=1, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    attended = models.BooleanField(
        _("présent"),
        default=False,
        help_text=_("Coché sur la feuille d'émargement."),
    )
    consent_at = models.DateTimeField(_("consentement donné le"))
    public_id = models.UUIDField(
        _("identifiant public"), default=uuid.uuid4, unique=True, editable=False
    )
    hold_expires_at = models.DateTimeField(
        _("à confirmer avant"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Rempli tant que l'adresse n'a pas été confirmée par le lien de "
            "l'e-mail : passé ce moment, la demande est effacée et ses places "
            "libérées."
        ),
    )
    queued_at = models.DateTimeField(
        _("arrivée sur la liste"),
        default=timezone.now,
        help_text=_("Ordre de la liste d'attente."),
    )
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    promoted_at = models.DateTimeField(
        _("sortie de la liste d'attente le"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["occurrence_start", "queued_at", "pk"]
        permissions = [
            (
                "export_registration",
                _("Exporter les inscriptions et imprimer la feuille d'émargement"),
            )
        ]
        constraints = [
            # One live registration per person and occurrence: registering
            # again updates it.
            models.UniqueConstraint(
                fields=["event", "occurrence_start", "email"],
                condition=~Q(status="cancelled"),
                name="events_registration_one_active_per_email",
            )
        ]
        indexes = [
            models.Index(
                fields=["event", "occurrence_start", "status"],
                name="events_reg_occurrence_idx",
            )
        ]

    def __str__(self):
        return (
            f"{self.name} – {self.event.title} ({format_start(self.occurrence_start)})"
        )

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def awaits_confirmation(self):
        """The address has not confirmed yet (a seat held, or a place asked
        on the waiting list)."""
        return self.hold_expires_at is not None

    @property
    def is_waiting(self):
        return self.status == self.Status.WAITING

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED
