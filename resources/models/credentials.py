"""Open Badges 3.0: the signed credential kept for each awarded badge, and the
revocation status lists that verifiers read (resources/credentials/)."""

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["BadgeCredential", "CredentialStatusList"]

# The Bitstring Status List recommendation asks for at least 131,072 entries
# (16 KiB) so that fetching the list does not tell which credential is checked.
STATUS_LIST_SIZE = 131_072


class CredentialStatusList(models.Model):
    """One Bitstring Status List (revocation) published at /badges/statut/<pk>.
    Its bits are not stored: a bit is set when the assertion is revoked."""

    size = models.PositiveIntegerField(_("nombre d'entrées"), default=STATUS_LIST_SIZE)
    next_index = models.PositiveIntegerField(_("prochaine entrée libre"), default=0)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    class Meta:
        verbose_name = _("liste de statut des badges")
        verbose_name_plural = _("listes de statut des badges")

    def __str__(self):
        return f"{self.pk} ({self.next_index}/{self.size})"


class BadgeCredential(models.Model):
    """The OpenBadgeCredential of one assertion, signed once when awarded and
    kept as the exact text that was signed."""

    assertion = models.OneToOneField(
        "resources.BadgeAssertion",
        verbose_name=_("badge décerné"),
        on_delete=models.CASCADE,
        related_name="credential",
    )
    document = models.TextField(
        _("attestation signée (JSON)"),
        blank=True,
        help_text=_("Vide une fois les données du titulaire effacées."),
    )
    verification_method = models.CharField(
        _("clé de signature"), max_length=300, blank=True
    )
    status_list = models.ForeignKey(
        CredentialStatusList,
        verbose_name=_("liste de statut"),
        on_delete=models.PROTECT,
        related_name="credentials",
    )
    status_index = models.PositiveIntegerField(_("entrée dans la liste"))
    signed_at = models.DateTimeField(_("signée le"), default=timezone.now)
    # Canonicalising the credential (RDFC-1.0) costs far more than checking
    # its signature: the bytes the signature covers are kept from signing,
    # with the SHA-256 of the exact text they were computed from, so the
    # verification page checks the signature without canonicalising again
    # (and does, as any verifier, when the text is not that one).
    signed_data = models.CharField(
        _("données signées (hexadécimal)"), max_length=128, blank=True
    )
    document_sha256 = models.CharField(
        _("empreinte de l'attestation signée"), max_length=64, blank=True
    )

    class Meta:
        verbose_name = _("attestation Open Badges 3.0")
        verbose_name_plural = _("attestations Open Badges 3.0")
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"],
                name="unique_credential_status_entry",
            )
        ]

    def __str__(self):
        return str(self.assertion)

    def known_signed_data(self):
        """The bytes the signature covers, when kept for this very text."""
        if not (self.signed_data and self.document):
            return None
        digest = hashlib.sha256(self.document.encode()).hexdigest()
        if digest != self.document_sha256:
            return None
        return bytes.fromhex(self.signed_data)
