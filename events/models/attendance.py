"""Anonymous counts of one occurrence's registrations, kept up to date as
registrations change (`events.agenda.attendance`) and kept when the registrations
themselves are purged: what the « Bilan de la convention » reads, so that a
year's audience stays right once names and e-mails are gone."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["OccurrenceTally"]


class OccurrenceTally(models.Model):
    """The registrations of one date of an event, as numbers only. An empty
    count is one that was not kept (dates purged before these counts
    existed): the report shows « NC » rather than a wrong figure."""

    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name="occurrence_tallies",
    )
    occurrence_start = models.DateTimeField(_("début de la séance"), db_index=True)
    confirmed_registrations = models.PositiveIntegerField(
        _("inscriptions confirmées"), null=True, blank=True
    )
    confirmed_seats = models.PositiveIntegerField(
        _("places confirmées"), null=True, blank=True
    )
    present = models.PositiveIntegerField(
        _("personnes présentes"),
        null=True,
        blank=True,
        help_text=_("Inscriptions confirmées cochées sur la feuille d'émargement."),
    )
    attendance_taken = models.BooleanField(
        _("émargement fait"),
        default=False,
        help_text=_("La feuille d'émargement de cette date a été enregistrée."),
    )
    waiting_peak = models.PositiveIntegerField(
        _("liste d'attente au plus haut"), null=True, blank=True
    )
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("compte anonyme d'une séance")
        verbose_name_plural = _("comptes anonymes des séances")
        ordering = ["occurrence_start", "pk"]
        permissions = [
            ("view_convention_report", _("Voir le bilan de la convention")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "occurrence_start"],
                name="events_occurrencetally_one_per_occurrence",
            )
        ]

    def __str__(self):
        return f"{self.event_id} @ {self.occurrence_start.isoformat()}"
