"""Financial commitments on an event and the decisions taken on them.

The agreement: « Tout engagement financier pour un évènement devra être
concerté par les deux parties. Aucun engagement financier à la charge de la
mairie de Wimille ne pourra être pris sans l'autorisation de la ville ». A
line the town pays, alone or shared, needs the town's authorisation; a shared
line also needs CLX's agreement. `events.finance.rules` holds the rules; this
module only stores lines and the log of who decided what, when and why.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

__all__ = [
    "FinancialCommitment",
    "CommitmentDecision",
    "DOCUMENT_EXTENSIONS",
    "format_euros",
]

DOCUMENT_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "png", "jpg", "jpeg"]
MAX_AMOUNT = Decimal("20000.00")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def format_euros(amount):
    """« 1 234,50 € »: an amount as people read it in France."""
    return f"{number_format(amount, 2, force_grouping=True)} €"


def document_path(instance, filename):
    # Unguessable folder: the file is only ever served by a permission-checked
    # admin view, but a leaked media listing must not expose quotes by name.
    return f"engagements/{secrets.token_urlsafe(16)}/{filename}"


class FinancialCommitment(models.Model):
    """One line of money spent for an event: what, how much, who pays."""

    class Payer(models.TextChoices):
        TOWN = "ville", _("Ville de Wimille")
        CLX = "clx", _("CLX")
        SHARED = "partage", _("Partagé (ville et CLX)")

    class Agreement(models.TextChoices):
        NOT_NEEDED = "not_needed", _("Non nécessaire")
        PENDING = "pending", _("En attente")
        GIVEN = "given", _("Accordé")
        REFUSED = "refused", _("Refusé")

    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    label = models.CharField(
        _("objet de la dépense"),
        max_length=200,
        help_text=_("Par exemple « viennoiseries et café pour 30 personnes »."),
    )
    amount = models.DecimalField(
        _("montant (€)"),
        max_digits=9,
        decimal_places=2,
        validators=[
            MinValueValidator(
                Decimal("0.01"), message=_("Le montant doit être positif.")
            ),
            MaxValueValidator(
                MAX_AMOUNT,
                message=_(
                    "Montant trop élevé pour un événement de l'atelier "
                    "(20 000 € au plus) : vérifiez la saisie."
                ),
            ),
        ],
    )
    payer = models.CharField(_("à la charge de"), max_length=10, choices=Payer.choices)
    document = models.FileField(
        _("devis ou facture"),
        upload_to=document_path,
        blank=True,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
        help_text=_("PDF, document bureautique ou photo (10 Mo au plus)."),
    )
    town_status = models.CharField(
        _("autorisation de la ville"),
        max_length=12,
        choices=Agreement.choices,
        default=Agreement.NOT_NEEDED,
    )
    clx_status = models.CharField(
        _("accord de CLX"),
        max_length=12,
        choices=Agreement.choices,
        default=Agreement.NOT_NEEDED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposé par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposé le"), auto_now_add=True)

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("engagement financier")
        verbose_name_plural = _("engagements financiers")
        permissions = [
            (
                "authorise_town_commitment",
                _("Autoriser un engagement financier de la ville"),
            ),
            (
                "agree_clx_commitment",
                _("Donner l'accord de CLX à un engagement partagé"),
            ),
            ("export_financialcommitment", _("Exporter les engagements financiers")),
        ]

    def __str__(self):
        return f"{self.label} ({format_euros(self.amount)})"

    @property
    def needs_town(self):
        return self.payer in (self.Payer.TOWN, self.Payer.SHARED)

    @property
    def needs_clx(self):
        return self.payer == self.Payer.SHARED

    @property
    def is_settled(self):
        """Every agreement this line needs has been given."""
        return (not self.needs_town or self.town_status == self.Agreement.GIVEN) and (
            not self.needs_clx or self.clx_status == self.Agreement.GIVEN
        )


class CommitmentDecision(models.Model):
    """The log: who proposed, authorised, agreed or refused a line, when,
    and why. Never edited; kept when the line changes."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Proposé")
        CHANGED = "changed", _("Modifié (accords à redonner)")
        TOWN_AUTHORISED = "town_ok", _("Autorisé par la ville")
        TOWN_REFUSED = "town_no", _("Refusé par la ville")
        CLX_AGREED = "clx_ok", _("Accord de CLX")
        CLX_REFUSED = "clx_no", _("Refusé par CLX")

    commitment = models.ForeignKey(
        FinancialCommitment,
        verbose_name=_("engagement"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    kind = models.CharField(_("décision"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("décision sur un engagement")
        verbose_name_plural = _("décisions sur les engagements")

    def __str__(self):
        return f"{self.get_kind_display()} – {self.at:%d/%m/%Y}"
