"""A « bénévole dédié au numérique »: public profile, private contact details
and one consent per public field."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TagBase, TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    PublishingPanel,
)
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)

from volunteers.forms import VolunteerAdminForm
from volunteers.models.charters import (
    CURRENT,
    MISSING,
    STATUS_LABELS,
    charter_status_expression,
    holds_current_charter,
)
from volunteers.permissions import CONTACT_PERMISSION
from volunteers.validators import normalise_french_phone, validate_french_phone

BIO_MAX_LENGTH = 600

# Fields the public may see, each paired with the consent that allows it.
CONSENTED_FIELDS = {
    "photo": "show_photo",
    "bio": "show_bio",
    "skills": "show_skills",
    "languages": "show_languages",
    "availability": "show_availability",
    "partner": "show_partner",
}

# Fields only staff with CONTACT_PERMISSION may see, in the admin and exports;
# everybody else (CLX – Rédaction among them) never does.
PRIVATE_FIELDS = ["first_name", "last_name", "membership_status", "email", "phone"]


class Skill(TagBase):
    """A skill a volunteer can share (« Linux », « LibreOffice »...). Its own
    tag model, so erasing a volunteer can drop skills nobody else has without
    touching the tags of images or documents."""

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")


class VolunteerSkill(TaggedItemBase):
    tag = models.ForeignKey(
        Skill, on_delete=models.CASCADE, related_name="tagged_volunteers"
    )
    content_object = ParentalKey(
        "volunteers.Volunteer", on_delete=models.CASCADE, related_name="skill_items"
    )


class VolunteerQuerySet(models.QuerySet):
    def with_charter_status(self):
        """Annotate `charter_status` (« à jour », « à renouveler », « manquante »:
        see volunteers.charter) in the same SQL query."""
        return self.annotate(charter_status=charter_status_expression())

    def publicly_listed(self):
        """Volunteers the public may see: active, published, and holding a
        countersigned signature of the current charter."""
        # The plain condition, not the CASE of `with_charter_status()` (the
        # directory builds this in three queries); every row is CURRENT, so
        # `charter_status` (read by `is_listed`) is a constant.
        return self.filter(holds_current_charter(), active=True, live=True).annotate(
            charter_status=models.Value(CURRENT)
        )

    def for_public_display(self):
        """Published volunteers, each knowing whether the directory lists them
        (`is_listed`, free from the annotation) and with their skills
        prefetched: event pages show listed facilitators with what they
        consented to, and the others by display name only."""
        return (
            self.filter(live=True)
            .with_charter_status()
            .select_related("photo")
            .prefetch_related(
                # One query for the skills and their names, not two.
                models.Prefetch(
                    "skill_items",
                    queryset=VolunteerSkill.objects.select_related("tag"),
                )
            )
        )


class Volunteer(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    ClusterableModel,
):
    class MembershipStatus(models.TextChoices):
        MEMBER = "member", _("adhérent à jour de cotisation")
        LAPSED = "lapsed", _("adhésion à renouveler")
        NOT_MEMBER = "not_member", _("non adhérent")

    # Public profile
    display_name = models.CharField(
        _("nom affiché"),
        max_length=100,
        help_text=_(
            "Le nom montré au public, choisi par le bénévole : prénom seul, "
            "pseudonyme... Toujours visible quand le bénévole est dans l'annuaire."
        ),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(
        _("courte présentation"),
        blank=True,
        max_length=BIO_MAX_LENGTH,
        validators=[MaxLengthValidator(BIO_MAX_LENGTH)],
        help_text=_("Quelques phrases, %(n)s caractères au plus.")
        % {"n": BIO_MAX_LENGTH},
    )
    skills = ClusterTaggableManager(
        through=VolunteerSkill,
        blank=True,
        verbose_name=_("compétences"),
        help_text=_("Par exemple : Linux, LibreOffice, réparation, impression 3D."),
    )
    languages = models.CharField(
        _("langues parlées"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : français, anglais, langue des signes."),
    )
    availability = models.CharField(
        _("disponibilités"),
        max_length=255,
        blank=True,
        help_text=_("Par exemple : le samedi matin, un mercredi sur deux."),
    )
    partner = models.ForeignKey(
        "home.Partner",
        verbose_name=_("partenaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteers",
        help_text=_("La structure dont le bénévole fait partie (en général CLX)."),
    )
    active = models.BooleanField(
        _("actif"),
        default=True,
        help_text=_("Décochez quand le bénévole ne participe plus à l'atelier."),
    )

    # Private: only for staff with the « view contact » permission.
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    last_name = models.CharField(_("nom de famille"), max_length=100, blank=True)
    membership_status = models.CharField(
        _("adhésion à CLX"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.MEMBER,
    )
    email = models.EmailField(
        _("e-mail"),
        blank=True,
        help_text=_(
            "Jamais affiché sur le site : les messages du formulaire « Contacter » "
            "y sont transmis."
        ),
    )
    phone = models.CharField(
        _("téléphone"),
        max_length=20,
        blank=True,
        validators=[validate_french_phone],
        help_text=_(
            "Format français, par exemple 06 12 34 56 78 ou +33 6 12 34 56 78."
        ),
    )

    # Consents: one per public field, all off until the volunteer says yes.
    show_photo = models.BooleanField(_("accepte de montrer sa photo"), default=False)
    show_bio = models.BooleanField(
        _("accepte de montrer sa présentation"), default=False
    )
    show_skills = models.BooleanField(
        _("accepte de montrer ses compétences"), default=False
    )
    show_languages = models.BooleanField(
        _("accepte de montrer ses langues"), default=False
    )
    show_availability = models.BooleanField(
        _("accepte de montrer ses disponibilités"), default=False
    )
    show_partner = models.BooleanField(
        _("accepte de montrer son partenaire"), default=False
    )
    accepts_contact = models.BooleanField(
        _("accepte d'être contacté par le formulaire"),
        default=False,
        help_text=_(
            "Les visiteurs peuvent lui écrire par le site ; son adresse ne leur "
            "est jamais montrée."
        ),
    )

    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="volunteer",
        for_concrete_model=False,
    )
    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="volunteer",
        for_concrete_model=False,
    )

    objects = VolunteerQuerySet.as_manager()

    base_form_class = VolunteerAdminForm

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("display_name"),
                FieldPanel("photo"),
                FieldPanel("bio"),
                FieldPanel("skills"),
                FieldRowPanel([FieldPanel("languages"), FieldPanel("availability")]),
                FieldRowPanel([FieldPanel("partner"), FieldPanel("active")]),
            ],
            heading=_("Profil public"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("first_name", permission=CONTACT_PERMISSION),
                        FieldPanel("last_name", permission=CONTACT_PERMISSION),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("email", permission=CONTACT_PERMISSION),
                        FieldPanel("phone", permission=CONTACT_PERMISSION),
                    ]
                ),
                FieldPanel("membership_status", permission=CONTACT_PERMISSION),
            ],
            heading=_("Coordonnées (privées)"),
            help_text=_("Réservées à la médiathèque ; jamais publiées."),
            permission=CONTACT_PERMISSION,
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("show_photo"), FieldPanel("show_bio")]),
                FieldRowPanel(
                    [FieldPanel("show_skills"), FieldPanel("show_languages")]
                ),
                FieldRowPanel(
                    [FieldPanel("show_availability"), FieldPanel("show_partner")]
                ),
                FieldPanel("accepts_contact"),
            ],
            heading=_("Consentements"),
            help_text=_(
                "Ce que le bénévole accepte de montrer dans l'annuaire public. "
                "Le nom affiché est toujours visible."
            ),
        ),
        PublishingPanel(),
    ]

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("bénévole")
        verbose_name_plural = _("bénévoles")
        permissions = [
            ("view_volunteer_contact", _("Voir les coordonnées des bénévoles")),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.phone = normalise_french_phone(self.phone)
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_listed(self):
        """Whether the public directory shows this volunteer. Uses the
        annotation of `publicly_listed()` / `with_charter_status()` when the
        queryset made one, so templates add no query."""
        status = getattr(self, "charter_status", None)
        if status is None:
            return Volunteer.objects.publicly_listed().filter(pk=self.pk).exists()
        return self.active and self.live and status == CURRENT

    @property
    def charter_status_label(self):
        status = getattr(self, "charter_status", None)
        if status is None:
            status = (
                Volunteer.objects.filter(pk=self.pk)
                .with_charter_status()
                .values_list("charter_status", flat=True)
                .first()
                or MISSING
            )
        return STATUS_LABELS[status]

    @property
    def skills_display(self):
        return ", ".join(item.tag.name for item in self.skill_items.all())

    @property
    def membership_status_label(self):
        return self.get_membership_status_display()

    def public_value(self, field_name):
        """The value of a public field, or None when not consented."""
        consent = CONSENTED_FIELDS[field_name]
        return getattr(self, field_name) if getattr(self, consent) else None

    def get_preview_template(self, request, mode_name):
        return "volunteers/volunteer_preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["volunteer"] = self
        context["preview_skills"] = list(self.skills.all())
        return context

    def get_charter_sheet_url(self):
        return reverse(
            "wagtailsnippets_volunteers_volunteer:charter_sheet", args=[self.pk]
        )
