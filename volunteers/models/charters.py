"""The « charte du bénévole dédié au numérique » and who signed which version
(agreement, §3: signed by the person and by the médiathèque)."""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, CharField, Exists, OuterRef, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField

from volunteers.forms import CharterSignatureAdminForm

# A volunteer's charter status (the rule is in volunteers/charter.py).
CURRENT = "current"
TO_RENEW = "to_renew"
MISSING = "missing"

STATUS_LABELS = {
    CURRENT: _("à jour"),
    TO_RENEW: _("à renouveler"),
    MISSING: _("manquante"),
}
STATUS_CHOICES = list(STATUS_LABELS.items())


class CharterVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def current(self):
        """The newest published version: the one everybody must have signed."""
        return self.published().order_by("-effective_date", "-pk").first()


class CharterVersion(models.Model):
    label = models.CharField(
        _("intitulé"),
        max_length=200,
        help_text=_("Par exemple « Charte du bénévole dédié au numérique – 2026 »."),
    )
    effective_date = models.DateField(
        _("date de la version"),
        help_text=_(
            "La version publiée la plus récente est celle que chacun doit avoir "
            "signée : en publier une nouvelle fait passer les signatures "
            "précédentes à « à renouveler »."
        ),
    )
    text = RichTextField(
        _("texte"),
        blank=True,
        features=["h3", "bold", "italic", "ol", "ul"],
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("La charte en PDF, si elle n'est pas saisie comme texte."),
    )
    published = models.BooleanField(
        _("publiée"),
        default=False,
        help_text=_("Cochez quand cette version doit être signée par tous."),
    )

    objects = CharterVersionQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("effective_date")]),
        FieldPanel("text"),
        FieldPanel("document"),
        FieldPanel("published"),
    ]

    class Meta:
        ordering = ["-effective_date", "-pk"]
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if not self.text and not self.document_id:
            raise ValidationError(
                {"text": _("Saisissez le texte de la charte ou joignez un document.")}
            )


class CharterSignature(models.Model):
    """One volunteer's signature of one version, and the médiathèque's
    countersignature. When a volunteer is erased the row stays, anonymised:
    `volunteer` becomes empty and `anonymised_label` says who it was not."""

    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("bénévole"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="charter_signatures",
    )
    anonymised_label = models.CharField(
        _("bénévole effacé"),
        max_length=100,
        blank=True,
        editable=False,
    )
    version = models.ForeignKey(
        CharterVersion,
        verbose_name=_("version de la charte"),
        on_delete=models.PROTECT,
        related_name="signatures",
        error_messages={
            "invalid": _(
                "Cette version de la charte n'existe pas : choisissez-en une "
                "dans la liste."
            ),
        },
    )
    signed_on = models.DateField(_("signée par le bénévole le"))
    countersigned_on = models.DateField(
        _("contresignée par la médiathèque le"),
        null=True,
        blank=True,
        help_text=_("Tant que ce champ est vide, la signature ne compte pas."),
    )
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contresignée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Le membre de la médiathèque qui a contresigné."),
    )

    base_form_class = CharterSignatureAdminForm

    panels = [
        FieldPanel("volunteer"),
        FieldPanel("version"),
        MultiFieldPanel(
            [
                FieldPanel("signed_on"),
                FieldRowPanel(
                    [FieldPanel("countersigned_on"), FieldPanel("countersigned_by")]
                ),
            ],
            heading=_("Signatures"),
        ),
    ]

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("signature de la charte")
        verbose_name_plural = _("signatures de la charte")
        permissions = [
            (
                "countersign_chartersignature",
                _("Contresigner la charte au nom de la médiathèque"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "version"],
                name="volunteers_one_signature_per_version",
                violation_error_message=_(
                    "Ce bénévole a déjà une signature pour cette version."
                ),
            )
        ]

    def __str__(self):
        who = self.volunteer or self.anonymised_label
        return f"{who} – {self.version}"

    @property
    def is_countersigned(self):
        return self.countersigned_on is not None

    def clean(self):
        super().clean()
        errors = {}
        today = timezone.localdate()
        if self.signed_on and self.signed_on > today:
            errors["signed_on"] = _("La date de signature ne peut pas être future.")
        if self.countersigned_on:
            if self.countersigned_on > today:
                errors["countersigned_on"] = _(
                    "La date de contre-signature ne peut pas être future."
                )
            elif self.signed_on and self.countersigned_on < self.signed_on:
                errors["countersigned_on"] = _(
                    "La médiathèque ne peut pas contresigner avant le bénévole."
                )
        if (
            self.version_id
            and not CharterVersion.objects.filter(
                pk=self.version_id, published=True
            ).exists()
        ):
            errors["version"] = _(
                "Cette version de la charte n'est pas publiée : on ne peut pas "
                "encore la signer."
            )
        if not self.volunteer_id and not self.anonymised_label:
            errors["volunteer"] = _("Choisissez le bénévole qui a signé.")
        if errors:
            raise ValidationError(errors)


def _countersigned(volunteer_ref):
    return CharterSignature.objects.filter(
        volunteer=OuterRef(volunteer_ref),
        countersigned_on__isnull=False,
        version__published=True,
    )


# Both expressions are built once per process for each `volunteer_ref`:
# building them costs as much as compiling them, and each query resolves
# them on its own copy, as Django does for any expression.
@functools.cache
def holds_current_charter(volunteer_ref="pk"):
    """A SQL condition, true for the volunteer at `volunteer_ref` holding a
    countersigned signature of the newest published version: the CURRENT of
    `charter_status_expression`, without building and comparing the whole
    CASE (the public directory filters on it in every query)."""
    current = CharterVersion.objects.filter(published=True).order_by(
        "-effective_date", "-pk"
    )
    return Exists(
        _countersigned(volunteer_ref).filter(version=Subquery(current.values("pk")[:1]))
    )


@functools.cache
def charter_status_expression(volunteer_ref="pk"):
    """A SQL expression giving one of CURRENT, TO_RENEW, MISSING for the
    volunteer at `volunteer_ref` (an outer query's field): « à jour » with a
    countersigned signature of the newest published version, « à renouveler »
    with one of an older published version, « manquante » otherwise."""
    return Case(
        When(holds_current_charter(volunteer_ref), then=Value(CURRENT)),
        When(Exists(_countersigned(volunteer_ref)), then=Value(TO_RENEW)),
        default=Value(MISSING),
        output_field=CharField(),
    )
