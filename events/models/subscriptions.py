"""People who receive the agenda by e-mail, and the digests they were sent.

A subscription exists first unconfirmed (double opt-in): only the SHA-256
of the key sent in the confirmation mail is stored, and nothing is sent to
the address until the person confirms. An address has at most one confirmed
subscription; a digest is recorded per subscription and period (« 2026-W49 »,
« 2026-12 ») under a unique constraint, so a period is never sent twice.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["AgendaSubscription", "DigestDelivery"]


class AgendaSubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def pending(self):
        return self.filter(confirmed_at__isnull=True)


class AgendaSubscription(models.Model):
    """One address that asked for the agenda by e-mail, with its choices."""

    class Frequency(models.TextChoices):
        WEEKLY = "hebdomadaire", _("Chaque semaine (le lundi)")
        MONTHLY = "mensuelle", _("Chaque mois (le 1er)")

    email = models.EmailField(_("adresse e-mail"), max_length=254, db_index=True)
    frequency = models.CharField(
        _("fréquence"),
        max_length=20,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
    )
    partners = models.ManyToManyField(
        "home.Partner",
        verbose_name=_("partenaires choisis"),
        blank=True,
        related_name="+",
        help_text=_("Aucun : tous les partenaires."),
    )
    event_types = models.ManyToManyField(
        "events.EventType",
        verbose_name=_("types choisis"),
        blank=True,
        related_name="+",
        help_text=_("Aucun : tous les types."),
    )
    confirm_key_hash = models.CharField(
        _("empreinte du lien de confirmation"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)

    objects = AgendaSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonné à l'agenda par e-mail")
        verbose_name_plural = _("abonnés à l'agenda par e-mail")
        ordering = ["-created_at"]
        permissions = [
            ("export_agendasubscription", _("Exporter les abonnés à l'agenda")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(confirmed_at__isnull=False),
                name="events_agendasubscription_one_confirmed_per_email",
            )
        ]

    def __str__(self):
        return self.email

    @property
    def partners_label(self):
        return ", ".join(p.name for p in self.partners.all())

    @property
    def event_types_label(self):
        return ", ".join(t.name for t in self.event_types.all())

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class DigestDelivery(models.Model):
    """One digest sent to one subscription for one period."""

    subscription = models.ForeignKey(
        AgendaSubscription,
        verbose_name=_("abonnement"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    period = models.CharField(
        _("période"), max_length=10, help_text=_("« 2026-W49 » ou « 2026-12 ».")
    )
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    occurrence_count = models.PositiveIntegerField(_("dates annoncées"), default=0)

    class Meta:
        verbose_name = _("envoi de l'agenda par e-mail")
        verbose_name_plural = _("envois de l'agenda par e-mail")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period"],
                name="events_digestdelivery_once_per_period",
            )
        ]

    def __str__(self):
        return f"{self.subscription_id} – {self.period}"
