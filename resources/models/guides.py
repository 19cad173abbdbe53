"""Fab Lab and practical guides, and the machines they use."""

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal import routing
from portal.models import SectionIndexPage
from portal.page_forms import PortalPageForm
from portal.pagination import requested_page
from portal.prepared import prepared_query
from portal.previews import ReadsStoredMixin

from ..blocks import GuideStepsBlock
from .paths import LearningPathPage
from .visibility import without_view_restrictions

__all__ = [
    "GuideCategory",
    "GuideDownload",
    "GuideIndexPage",
    "GuideLicence",
    "GuideMaterial",
    "GuidePage",
    "Machine",
    "MachineKind",
]

GUIDES_PER_PAGE = 12
CARD_IMAGE_FILTER = "fill-640x360"


class MachineKind(models.TextChoices):
    PRINTER_3D = "imprimante-3d", _("Imprimante 3D")
    LASER_CUTTER = "decoupeuse-laser", _("Découpeuse laser")
    VINYL_CUTTER = "decoupeuse-vinyle", _("Découpeuse vinyle")
    EMBROIDERY = "brodeuse", _("Brodeuse numérique")
    OTHER = "autre", _("Autre machine")


class Machine(index.Indexed, models.Model):
    """A machine of the Fab Lab, the training it requires and its safety rules."""

    name = models.CharField(
        _("nom"),
        max_length=120,
        help_text=_("Le nom que l'on voit au Fab Lab, par exemple « Imprimante 3D »."),
    )
    slug = models.SlugField(
        _("identifiant d'URL"),
        allow_unicode=True,
        unique=True,
        help_text=_("Sert au filtre des guides, par exemple « imprimante-3d-prusa »."),
    )
    kind = models.CharField(
        _("type de machine"),
        max_length=30,
        choices=MachineKind.choices,
        default=MachineKind.PRINTER_3D,
    )
    model_name = models.CharField(
        _("modèle"),
        max_length=120,
        blank=True,
        help_text=_("Marque et modèle, par exemple « Prusa MK4 »."),
    )
    location = models.CharField(
        _("emplacement"),
        max_length=200,
        help_text=_("Où la trouver, par exemple « Fab Lab de la médiathèque »."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    training_required = models.BooleanField(
        _("formation obligatoire avant utilisation"), default=True
    )
    training_text = models.TextField(
        _("formation requise"),
        blank=True,
        help_text=_(
            "Ce qu'il faut avoir suivi avant d'utiliser la machine seul, par "
            "exemple « Formation Fab Lab du Circuit, module impression 3D »."
        ),
    )
    training_url = models.URLField(
        _("lien vers la formation"),
        blank=True,
        help_text=_("Par exemple la page de la formation Fab Lab du Circuit."),
    )
    training_badge = models.ForeignKey(
        "resources.BadgeClass",
        verbose_name=_("open badge qui donne accès à la machine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="machines",
        help_text=_(
            "Facultatif : le badge de l'atelier qui vaut formation. Le guide "
            "montre alors le parcours qui y mène."
        ),
    )
    safety_rules = RichTextField(
        _("règles de sécurité"),
        features=["bold", "italic", "ul", "ol", "link"],
        blank=True,
    )

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("model_name")]),
                FieldPanel("location"),
                FieldPanel("photo"),
            ],
            heading=_("La machine"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("training_required"),
                FieldPanel("training_text"),
                FieldPanel("training_url"),
                FieldPanel("training_badge"),
            ],
            heading=_("Formation avant utilisation"),
        ),
        FieldPanel("safety_rules"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("model_name"),
        index.FilterField("kind"),
        index.FilterField("location"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("machine")
        verbose_name_plural = _("machines")

    def __str__(self):
        if self.model_name:
            return f"{self.name} ({self.model_name})"
        return self.name


class GuideCategory(models.TextChoices):
    FAB_LAB = "fab-lab", _("Fab Lab")
    FREE_SOFTWARE = "logiciel-libre", _("Logiciel libre")
    E_ADMINISTRATION = "demarches-en-ligne", _("Démarches en ligne")
    REUSE = "reemploi", _("Réemploi du matériel")


class Difficulty(models.IntegerChoices):
    # Always shown as these words, never as a colour or a number alone.
    VERY_EASY = 1, _("Très facile")
    EASY = 2, _("Facile")
    INTERMEDIATE = 3, _("Intermédiaire")
    ADVANCED = 4, _("Avancé")


class GuideLicence(models.TextChoices):
    CC_BY_SA = "cc-by-sa-4.0", _("Creative Commons BY-SA 4.0")
    CC_BY = "cc-by-4.0", _("Creative Commons BY 4.0")
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", _("Creative Commons BY-NC-SA 4.0")
    CC0 = "cc0-1.0", _("Creative Commons Zéro (domaine public)")
    ART_LIBRE = "art-libre-1.3", _("Licence Art Libre 1.3")


LICENCE_URLS = {
    GuideLicence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
    GuideLicence.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.fr",
    GuideLicence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.fr",
    GuideLicence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
    GuideLicence.ART_LIBRE: "https://artlibre.org/licence/lal/",
}


def with_card_images(pages):
    """`pages` (guides) with their card image joined and its rendition
    prefetched: one more query for any number of cards."""
    from wagtail.images import get_image_model

    renditions = get_image_model().get_rendition_model().objects
    return pages.select_related("image").prefetch_related(
        models.Prefetch(
            "image__renditions",
            queryset=renditions.filter(filter_spec=CARD_IMAGE_FILTER),
            # Where Wagtail's prefetch_renditions() leaves them.
            to_attr="prefetched_renditions",
        )
    )


def format_minutes(minutes):
    """« 45 min », « 1 h », « 1 h 30 »."""
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


class GuideFilterForm(forms.Form):
    """The filters of /guides/, read from the query string."""

    categorie = forms.ChoiceField(
        label=_("Catégorie"),
        required=False,
        choices=[("", _("Toutes les catégories"))] + GuideCategory.choices,
    )
    machine = forms.ModelChoiceField(
        label=_("Machine"),
        required=False,
        queryset=Machine.objects.none(),
        to_field_name="slug",
        empty_label=_("Toutes les machines"),
        error_messages={"invalid_choice": _("Cette machine n'existe pas.")},
    )
    difficulte = forms.TypedChoiceField(
        label=_("Difficulté"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Toutes les difficultés"))] + Difficulty.choices,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["machine"].queryset = Machine.objects.order_by("name")
        for field in ("categorie", "difficulte"):
            self.fields[field].error_messages["invalid_choice"] = _(
                "Ce choix n'existe pas : choisissez dans la liste."
            )

    def filter(self, guides):
        data = self.cleaned_data
        if data.get("categorie"):
            guides = guides.filter(category=data["categorie"])
        if data.get("machine"):
            guides = guides.filter(machines=data["machine"])
        if data.get("difficulte"):
            guides = guides.filter(difficulty=data["difficulte"])
        return guides


class GuideIndexPage(SectionIndexPage):
    subpage_types = ["resources.GuidePage"]

    class Meta:
        verbose_name = _("liste des guides")

    def guides(self):
        return with_card_images(
            GuidePage.objects.live().public().child_of(self)
        ).order_by("title")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = GuideFilterForm(request.GET or None)
        guides = self.guides()
        if form.is_bound and form.is_valid():
            guides = form.filter(guides)
        elif form.is_bound:
            guides = guides.none()
        paginator = Paginator(guides, GUIDES_PER_PAGE)
        context["filter_form"] = form
        context["guides"] = paginator.get_page(requested_page(request.GET.get("page")))
        context["is_filtered"] = form.is_bound and any(
            request.GET.get(name) for name in form.fields
        )
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # A filter value that does not exist is the visitor's error: say it
        # on the page, with the status a client understands.
        form = getattr(response, "context_data", None) or {}
        form = form.get("filter_form")
        if form is not None and form.is_bound and not form.is_valid():
            response.status_code = 400
        return response


class MachineSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    kind = serializers.CharField(source="get_kind_display")
    model_name = serializers.CharField()
    location = serializers.CharField()


class MachinesField(serializers.Field):
    def to_representation(self, value):
        return MachineSerializer(value.all(), many=True).data


class PartnersField(serializers.Field):
    def to_representation(self, value):
        return [partner.name for partner in value.all()]


class GuidePage(ReadsStoredMixin, Page):
    # Says which abandoned draft holds a slug (portal/page_forms.py).
    base_form_class = PortalPageForm
    summary = models.TextField(
        _("résumé"),
        max_length=400,
        help_text=_("Deux ou trois phrases : ce que l'on fabrique ou apprend."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image principale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Montrée sur la liste des guides."),
    )
    category = models.CharField(
        _("catégorie"), max_length=30, choices=GuideCategory.choices
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulté"), choices=Difficulty.choices, default=Difficulty.EASY
    )
    duration_minutes = models.PositiveIntegerField(
        _("durée (en minutes)"),
        help_text=_(
            "Temps qu'il faut à un débutant, impression ou installation comprise."
        ),
    )
    cost_estimate = models.CharField(
        _("coût estimé"),
        max_length=100,
        blank=True,
        help_text=_("Par exemple « Gratuit » ou « environ 2 € de filament »."),
    )
    machines = ParentalManyToManyField(
        "resources.Machine",
        verbose_name=_("machines utilisées"),
        blank=True,
        related_name="guides",
    )
    tools = models.TextField(
        _("outils"),
        blank=True,
        help_text=_("Un outil par ligne, par exemple « Spatule » ou « Clé USB »."),
    )
    safety_warnings = RichTextField(
        _("consignes de sécurité"),
        features=["bold", "italic", "ul", "link"],
        blank=True,
        help_text=_(
            "Affichées en évidence avant les étapes. Les règles de sécurité des "
            "machines choisies s'y ajoutent."
        ),
    )
    steps = StreamField(GuideStepsBlock(), verbose_name=_("étapes"))
    licence = models.CharField(
        _("licence"),
        max_length=30,
        choices=GuideLicence.choices,
        default=GuideLicence.CC_BY_SA,
    )
    partners = ParentalManyToManyField(
        "home.Partner", verbose_name=_("partenaires auteurs"), blank=True
    )
    volunteers = ParentalManyToManyField(
        "volunteers.Volunteer",
        verbose_name=_("bénévoles auteurs"),
        blank=True,
        related_name="guides",
        help_text=_("Seul leur nom affiché apparaît sur le guide."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("summary"), FieldPanel("image")],
            heading=_("Présentation"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("category"), FieldPanel("difficulty")]),
                FieldRowPanel(
                    [FieldPanel("duration_minutes"), FieldPanel("cost_estimate")]
                ),
            ],
            heading=_("En bref"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("machines", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tools"),
            ],
            heading=_("Machines et outils"),
        ),
        InlinePanel("materials", heading=_("Matériel"), label=_("matériau")),
        FieldPanel("safety_warnings"),
        FieldPanel("steps"),
        InlinePanel(
            "downloads", heading=_("Fichiers à télécharger"), label=_("fichier")
        ),
        MultiFieldPanel(
            [
                FieldPanel("partners", widget=forms.CheckboxSelectMultiple),
                FieldPanel("volunteers", widget=forms.CheckboxSelectMultiple),
                FieldPanel("licence"),
            ],
            heading=_("Auteurs et licence"),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("tools"),
        index.SearchField("safety_warnings"),
        index.SearchField("steps"),
        index.RelatedFields("materials", [index.SearchField("name")]),
        index.FilterField("category"),
        index.FilterField("difficulty"),
    ]

    api_fields = [
        APIField("summary"),
        APIField("category"),
        APIField("difficulty"),
        APIField(
            "difficulty_label",
            serializer=serializers.CharField(source="get_difficulty_display"),
        ),
        APIField("duration_minutes"),
        APIField("cost_estimate"),
        APIField("machines", serializer=MachinesField()),
        APIField("materials"),
        APIField("tools"),
        APIField("safety_warnings"),
        APIField("steps"),
        APIField("licence"),
        APIField("partners", serializer=PartnersField()),
        APIField(
            "image_thumbnail",
            serializer=ImageRenditionField(CARD_IMAGE_FILTER, source="image"),
        ),
    ]

    parent_page_types = ["resources.GuideIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("guide pratique")
        verbose_name_plural = _("guides pratiques")

    @property
    def duration_display(self):
        return format_minutes(self.duration_minutes)

    @property
    def tool_list(self):
        return [line.strip() for line in self.tools.splitlines() if line.strip()]

    @property
    def licence_url(self):
        return LICENCE_URLS.get(self.licence, "")

    @cached_property
    def machine_list(self):
        # The page shows each machine's training badge, never its photo.
        if self.reads_stored:
            return _machines(self.pk)
        return list(self.machines.select_related("training_badge").order_by("name"))

    def public_volunteers(self):
        """Volunteer authors the public may see (active, published, current
        charter): the others stay unnamed, as in the directory."""
        volunteers = self.volunteers.model
        if self.reads_stored:
            return _public_volunteers(self.pk, volunteers=volunteers)
        ids = [volunteer.pk for volunteer in self.volunteers.all()]
        if not ids:
            return []
        return list(
            volunteers.objects.publicly_listed()
            .filter(pk__in=ids)
            .order_by("display_name")
        )

    def related_paths(self, request=None):
        """Live learning paths that have a step pointing to this guide, or
        that lead to the badge one of its machines requires."""
        badge_ids = sorted(
            {
                machine.training_badge_id
                for machine in self.machine_list
                if machine.training_badge_id
            }
        )
        # A new page's preview has no steps pointing to it yet.
        if not self.pk and not badge_ids:
            return []
        return _related_paths(
            badge_ids,
            *([self.pk] if self.pk else []),
            restricted=not routing.known_unrestricted(request),
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.reads_stored:
            materials = _materials(self.pk)
            downloads = _downloads(self.pk)
            partners = _partners(self.pk, partners=self.partners.model)
        else:
            materials = list(self.materials.all())
            downloads = list(
                self.downloads.select_related("document").order_by("sort_order")
            )
            partners = self.partners.all()
        context["machines"] = self.machine_list
        context["materials"] = materials
        context["downloads"] = downloads
        context["authors"] = [partner.name for partner in partners] + [
            volunteer.display_name for volunteer in self.public_volunteers()
        ]
        context["related_paths"] = self.related_paths(request)
        context["index_page"] = self.get_parent()
        return context


# What a public guide page asks, compiled once (portal.prepared).


@prepared_query
def _machines(guide_pk):
    return (
        Machine.objects.filter(guides=guide_pk)
        .select_related("training_badge")
        .order_by("name")
    )


@prepared_query
def _materials(guide_pk):
    return GuideMaterial.objects.filter(page=guide_pk).order_by("sort_order")


@prepared_query
def _downloads(guide_pk):
    return (
        GuideDownload.objects.filter(page=guide_pk)
        .select_related("document")
        .order_by("sort_order")
    )


@prepared_query
def _partners(guide_pk, *, partners):
    return partners.objects.filter(guidepage=guide_pk)


@prepared_query
def _public_volunteers(guide_pk, *, volunteers):
    return (
        volunteers.objects.publicly_listed()
        .filter(guides=guide_pk)
        .order_by("display_name")
    )


@prepared_query
def _related_paths(badge_ids, guide_pk=None, *, restricted):
    condition = models.Q()
    if badge_ids:
        condition |= models.Q(badge_class_id__in=badge_ids)
    if guide_pk is not None:
        condition |= models.Q(steps__linked_page=guide_pk)
    paths = LearningPathPage.objects.live().filter(condition)
    if restricted:
        paths = without_view_restrictions(paths)
    return paths.distinct().order_by("title")


class GuideMaterial(Orderable):
    page = ParentalKey(GuidePage, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(
        _("matériau"),
        max_length=200,
        help_text=_("Par exemple « Filament PLA 1,75 mm »."),
    )
    quantity = models.CharField(
        _("quantité"), max_length=100, blank=True, help_text=_("Par exemple « 20 g ».")
    )
    link = models.URLField(
        _("lien"),
        blank=True,
        help_text=_("Facultatif : où le trouver ou en savoir plus."),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("quantity")]),
        FieldPanel("link"),
    ]
    api_fields = [APIField("name"), APIField("quantity"), APIField("link")]

    class Meta(Orderable.Meta):
        verbose_name = _("matériau")
        verbose_name_plural = _("matériel")

    def __str__(self):
        return self.name


class GuideDownload(Orderable):
    page = ParentalKey(GuidePage, on_delete=models.CASCADE, related_name="downloads")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("fichier"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_(
            "Formats acceptés : STL, 3MF, SVG, DXF, G-code, PDF, ODT, ZIP… "
            "Les fichiers sont toujours proposés au téléchargement."
        ),
    )
    description = models.CharField(
        _("description"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « Modèle du cube de calibration »."),
    )

    panels = [FieldPanel("document"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("fichier à télécharger")
        verbose_name_plural = _("fichiers à télécharger")

    def __str__(self):
        return self.description or self.document.title
