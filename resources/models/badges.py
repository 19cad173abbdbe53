"""Open Badges 2.0: the issuer's identity, badge classes, learners' requests
and awarded assertions.

An assertion's public id is random and unguessable; the recipient's e-mail is
kept for staff only, and public documents carry its salted SHA-256 hash.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from PIL import Image as PILImage
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.search import index

from portal import routing
from portal.prepared import prepared_query

from .visibility import without_view_restrictions

__all__ = [
    "BadgeAssertion",
    "BadgeClass",
    "BadgeIssuerSettings",
    "BadgeRequest",
    "validate_badge_image",
]

MIN_BADGE_SIZE = 200
# Badge slugs live beside these fixed paths under /badges/.
RESERVED_SLUGS = {
    "emetteur",
    "assertions",
    "revocations",
    "demande",
    "verifier",
    "statut",
}


@register_setting(icon="tick-inverse")
class BadgeIssuerSettings(BaseSiteSetting):
    """Who issues the open badges (the Issuer profile of Open Badges 2.0)."""

    name = models.CharField(
        _("nom de l'émetteur"), max_length=200, default="Médiathèque de Wimille"
    )
    url = models.URLField(
        _("site web de l'émetteur"),
        default="https://www.wimille.fr/",
        help_text=_("La page d'accueil de l'émetteur, affichée par les vérificateurs."),
    )
    email = models.EmailField(
        _("e-mail de l'émetteur"),
        default="atelier@mediatheque-wimille.fr",
        help_text=_("Adresse publique : elle figure dans le profil de l'émetteur."),
    )
    description = models.TextField(
        _("présentation de l'émetteur"),
        default=(
            "L'atelier numérique citoyen de la médiathèque de Wimille, en partenariat "
            "avec CLX – Club Linux Nord–Pas-de-Calais, délivre ces open badges."
        ),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo de l'émetteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Montré par les portefeuilles de badges (Open Badges 3.0). Vide : "
            "l'icône du site."
        ),
    )
    notification_email = models.EmailField(
        _("e-mail de l'équipe pour les demandes de badge"),
        blank=True,
        help_text=_(
            "Reçoit une alerte à chaque demande (au-delà de quelques demandes "
            "par heure, un récapitulatif). Vide : les personnes qui ont le "
            "droit de décerner des badges sont prévenues."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("url"), FieldPanel("email")]),
                FieldPanel("description"),
                FieldPanel("image"),
            ],
            heading=_("Profil public de l'émetteur"),
        ),
        FieldPanel("notification_email"),
    ]

    class Meta:
        verbose_name = _("émetteur des open badges")


def validate_badge_image(image):
    """A badge image must be a square PNG of at least 200 × 200 pixels, so that
    it can be baked and shown by backpacks."""
    if image is None:
        return
    try:
        with image.open_file() as handle:
            with PILImage.open(handle) as picture:
                fmt, (width, height) = picture.format, picture.size
    except Exception as error:  # noqa: BLE001 - any unreadable file is refused
        raise ValidationError(
            _("L'image du badge est illisible : déposez un fichier PNG valide.")
        ) from error
    if fmt != "PNG":
        raise ValidationError(
            _(
                "L'image du badge doit être au format PNG (le fichier déposé est "
                "au format %(format)s)."
            )
            % {"format": fmt or _("inconnu")}
        )
    if width != height:
        raise ValidationError(
            _("L'image du badge doit être carrée (elle mesure %(w)s × %(h)s pixels).")
            % {"w": width, "h": height}
        )
    if width < MIN_BADGE_SIZE:
        raise ValidationError(
            _(
                "L'image du badge doit mesurer au moins %(min)s × %(min)s pixels "
                "(elle mesure %(w)s × %(h)s pixels)."
            )
            % {"min": MIN_BADGE_SIZE, "w": width, "h": height}
        )


class BadgeClass(index.Indexed, ClusterableModel):
    """What a badge means: the BadgeClass of Open Badges 2.0."""

    name = models.CharField(_("nom du badge"), max_length=200)
    slug = models.SlugField(
        _("identifiant d'URL"),
        allow_unicode=True,
        unique=True,
        max_length=80,
        help_text=_("Fait partie de l'adresse publique du badge : ne plus le changer."),
    )
    description = models.TextField(
        _("description"), help_text=_("Ce que le badge atteste, en une phrase ou deux.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image du badge"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("PNG carré d'au moins 200 × 200 pixels."),
    )
    criteria_narrative = models.TextField(
        _("critères d'obtention"),
        help_text=_(
            "Ce qu'il faut avoir fait pour obtenir le badge. L'adresse du parcours "
            "qui mène au badge est ajoutée automatiquement."
        ),
    )
    competences = ParentalManyToManyField(
        "resources.Competence",
        verbose_name=_("compétences visées (alignement)"),
        blank=True,
        related_name="badge_classes",
    )
    validity_months = models.PositiveSmallIntegerField(
        _("durée de validité (mois)"),
        null=True,
        blank=True,
        help_text=_("Vide : le badge n'expire pas."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldPanel("description"),
                FieldPanel("image"),
            ],
            heading=_("Identité du badge"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("criteria_narrative"),
                FieldPanel("competences"),
                FieldPanel("validity_months"),
            ],
            heading=_("Critères, compétences et validité"),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("description"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        permissions = [
            ("award_badge", _("Peut décerner, importer, approuver et révoquer"))
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("Cet identifiant est réservé : choisissez-en un autre.")}
            )
        if self.image_id:
            try:
                validate_badge_image(self.image)
            except ValidationError as error:
                raise ValidationError({"image": error.messages}) from error

    def get_absolute_url(self):
        return reverse("resources:badge_class", args=[self.slug])

    def criteria_page(self, request=None):
        """The live path page that leads to this badge, if any."""
        if self.pk is None:
            return None
        found = _criteria_page(
            self.pk,
            paths=self.learning_paths.model,
            restricted=not routing.known_unrestricted(request),
        )
        return found[0] if found else None


@prepared_query
def _criteria_page(badge_pk, *, paths, restricted):
    pages = paths.objects.live().filter(badge_class=badge_pk)
    if restricted:
        pages = without_view_restrictions(pages)
    return pages.order_by("path")[:1]


def new_assertion_uid():
    return secrets.token_urlsafe(24)


def new_salt():
    return secrets.token_hex(16)


def hash_email(email, salt):
    """The recipient identity of Open Badges 2.0: sha256 of e-mail + salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}"


class BadgeRequest(models.Model):
    """A learner asks for the badge at the end of a path; staff decide."""

    class Status(models.TextChoices):
        PENDING = "en_attente", _("En attente")
        APPROVED = "approuvee", _("Approuvée")
        DECLINED = "refusee", _("Refusée")

    badge_class = models.ForeignKey(
        BadgeClass,
        verbose_name=_("badge demandé"),
        on_delete=models.CASCADE,
        related_name="requests",
    )
    learning_path = models.ForeignKey(
        "resources.LearningPathPage",
        verbose_name=_("parcours"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("e-mail"))
    # A few sentences; the bound keeps a script from storing (and mailing
    # staff) megabytes per request.
    evidence_text = models.TextField(
        _("ce que vous avez fait"), blank=True, max_length=5000
    )
    evidence_url = models.URLField(_("lien vers une réalisation"), blank=True)
    consent = models.BooleanField(_("consentement au traitement"), default=False)
    show_name = models.BooleanField(_("nom affiché publiquement"), default=False)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decision_message = models.TextField(_("message au demandeur"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now)
    # Set in the transaction that queues the mail telling staff (one per
    # request, or the digest): a request is never announced twice.
    staff_notified_at = models.DateTimeField(
        _("équipe prévenue le"), null=True, blank=True, editable=False
    )
    assertion = models.OneToOneField(
        "resources.BadgeAssertion",
        verbose_name=_("badge décerné"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="request",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande de badge")
        verbose_name_plural = _("demandes de badge")

    def __str__(self):
        return f"{self.name} – {self.badge_class}"


class BadgeAssertion(models.Model):
    """One badge awarded to one person (an Open Badges 2.0 Assertion)."""

    class Source(models.TextChoices):
        REQUEST = "demande", _("Demande approuvée")
        ADMIN = "admin", _("Attribution par l'équipe")
        CSV = "csv", _("Import CSV")
        EVENT = "atelier", _("Présents à un atelier")
        COMMAND = "commande", _("Commande award_badges")
        DEMO = "demo", _("Démonstration")

    uid = models.CharField(
        _("identifiant public"),
        max_length=64,
        unique=True,
        default=new_assertion_uid,
        editable=False,
    )
    badge_class = models.ForeignKey(
        BadgeClass,
        verbose_name=_("badge"),
        on_delete=models.PROTECT,
        related_name="assertions",
    )
    recipient_email = models.EmailField(
        _("e-mail du titulaire"),
        blank=True,
        help_text=_("Visible de l'équipe seulement ; effacé sur demande."),
    )
    recipient_name = models.CharField(_("nom du titulaire"), max_length=200, blank=True)
    show_name = models.BooleanField(
        _("nom affiché publiquement"),
        default=False,
        help_text=_("Le titulaire a accepté que son nom figure sur la vérification."),
    )
    salt = models.CharField(_("sel"), max_length=64, default=new_salt, editable=False)
    identity_hash = models.CharField(_("identité hachée"), max_length=80)
    issued_on = models.DateTimeField(_("décerné le"), default=timezone.now)
    expires = models.DateTimeField(_("expire le"), null=True, blank=True)
    evidence_narrative = models.TextField(_("preuve (texte)"), blank=True)
    evidence_url = models.URLField(_("preuve (lien)"), blank=True)
    source = models.CharField(
        _("origine"), max_length=20, choices=Source.choices, default=Source.ADMIN
    )
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décerné par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked = models.BooleanField(_("révoqué"), default=False)
    revocation_reason = models.CharField(
        _("motif de révocation"), max_length=255, blank=True
    )
    revoked_on = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    erased_on = models.DateTimeField(
        _("données personnelles effacées le"), null=True, blank=True
    )

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = _("badge décerné")
        verbose_name_plural = _("badges décernés")
        indexes = [models.Index(fields=["recipient_email"])]

    def __str__(self):
        who = self.recipient_name or _("titulaire anonyme")
        return f"{self.badge_class} – {who}"

    def get_absolute_url(self):
        return reverse("resources:assertion", args=[self.uid])

    def set_recipient(self, email):
        self.recipient_email = email.strip().lower()
        self.identity_hash = hash_email(self.recipient_email, self.salt)

    @property
    def is_expired(self):
        return self.expires is not None and self.expires <= timezone.now()

    @property
    def status_label(self):
        if self.revoked:
            return _("révoqué")
        if self.is_expired:
            return _("expiré")
        return _("valide")
