"""Learning paths: ordered steps leading to a badge.

A path is a page with its steps inline (Orderable); each step points at one
guide page, one event page or one outside resource (such as « Le Circuit » of
the Médiathèque départementale du Pas-de-Calais). Learners tick steps in their
own browser: nothing about their progress is stored here.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.api import APIField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.models import SectionIndexPage
from portal.page_forms import PortalPageForm
from portal.prepared import prepared_query
from portal.previews import ReadsStoredMixin

__all__ = [
    "Competence",
    "LearningPathIndexPage",
    "LearningPathPage",
    "LearningPathStep",
]

# Page types a step may link to; each exists only once its app has built it.
STEP_TARGET_PAGE_TYPES = ["resources.GuidePage", "events.EventPage"]


class Competence(index.Indexed, models.Model):
    """A competence of a public framework (Pix, DigComp 2.2) that paths and
    badges align to."""

    class Framework(models.TextChoices):
        PIX = "pix", "Pix"
        DIGCOMP = "digcomp", "DigComp 2.2"
        OTHER = "autre", _("Autre référentiel")

    framework = models.CharField(
        _("référentiel"), max_length=20, choices=Framework.choices
    )
    code = models.CharField(
        _("code"),
        max_length=30,
        help_text=_("Le code dans le référentiel, par exemple « 3.1 » ou « 1.2 »."),
    )
    name = models.CharField(_("intitulé"), max_length=255)
    url = models.URLField(
        _("lien vers le référentiel"),
        blank=True,
        help_text=_("Page publique qui décrit la compétence."),
    )

    panels = [
        FieldRowPanel([FieldPanel("framework"), FieldPanel("code")]),
        FieldPanel("name"),
        FieldPanel("url"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("code"),
        index.FilterField("framework"),
    ]

    class Meta:
        ordering = ["framework", "code"]
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="unique_competence_code"
            )
        ]

    def __str__(self):
        return f"{self.get_framework_display()} {self.code} – {self.name}"


class LearningPathIndexPage(SectionIndexPage):
    subpage_types = ["resources.LearningPathPage"]

    class Meta:
        verbose_name = _("liste des parcours")

    def paths(self, level=None):
        paths = (
            LearningPathPage.objects.live()
            .public()
            .child_of(self)
            .select_related("badge_class")
            .annotate(step_count=models.Count("steps", distinct=True))
            .order_by("path", "pk")
        )
        if level:
            paths = paths.filter(level=level)
        return paths

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        level = request.GET.get("niveau", "")
        if level not in LearningPathPage.Level.values:
            level = ""
        context["paths"] = self.paths(level)
        context["levels"] = LearningPathPage.Level.choices
        context["current_level"] = level
        return context


class LearningPathPage(ReadsStoredMixin, Page):
    # Says which abandoned draft holds a slug (portal/page_forms.py).
    base_form_class = PortalPageForm

    class Level(models.TextChoices):
        BEGINNER = "debutant", _("Débutant")
        INTERMEDIATE = "intermediaire", _("Intermédiaire")
        ADVANCED = "avance", _("Avancé")

    summary = models.TextField(
        _("résumé"),
        max_length=500,
        help_text=_("Deux ou trois phrases : ce que l'on saura faire à la fin."),
    )
    level = models.CharField(
        _("niveau"), max_length=20, choices=Level.choices, default=Level.BEGINNER
    )
    duration_minutes = models.PositiveIntegerField(
        _("durée estimée (minutes)"),
        help_text=_("Le temps total, à son rythme, pour suivre tout le parcours."),
    )
    audience = models.CharField(
        _("public"),
        max_length=200,
        default="Tout public",
        help_text=_("Par exemple « Tout public » ou « Adolescents et adultes »."),
    )
    competences = ParentalManyToManyField(
        Competence,
        verbose_name=_("compétences travaillées"),
        blank=True,
        related_name="learning_paths",
    )
    badge_class = models.ForeignKey(
        "resources.BadgeClass",
        verbose_name=_("badge obtenu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_paths",
        help_text=_("L'open badge que l'on peut demander à la fin du parcours."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("level"),
                        FieldPanel("duration_minutes"),
                        FieldPanel("audience"),
                    ]
                ),
                FieldPanel("competences"),
                FieldPanel("badge_class"),
            ],
            heading=_("Niveau, durée, compétences et badge"),
        ),
        InlinePanel(
            "steps",
            heading=_("Étapes"),
            label=_("Étape"),
            min_num=1,
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("level"),
        index.RelatedFields("steps", [index.SearchField("title")]),
    ]
    api_fields = [
        APIField("summary"),
        APIField("level"),
        APIField("duration_minutes"),
        APIField("audience"),
    ]

    parent_page_types = ["resources.LearningPathIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("parcours")
        verbose_name_plural = _("parcours")

    @property
    def duration_display(self):
        return format_minutes(self.duration_minutes)

    @classmethod
    def routing_queryset(cls):
        """How a path is read when a URL leads to it (portal.routing): with
        the badge and the badge's image its page shows."""
        return cls.objects.select_related("badge_class", "badge_class__image")

    def ordered_steps(self):
        return self.steps.select_related("linked_page").order_by("sort_order", "pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.reads_stored:
            # Compiled once (portal.prepared); a preview shows the steps and
            # competences it holds in memory.
            context["steps"] = _ordered_steps(self.pk)
            context["competence_list"] = _competences(self.pk)
        else:
            context["steps"] = list(self.ordered_steps())
            context["competence_list"] = list(self.competences.all())
        return context


@prepared_query
def _ordered_steps(path_pk):
    return (
        LearningPathStep.objects.filter(path=path_pk)
        .select_related("linked_page")
        .order_by("sort_order", "pk")
    )


@prepared_query
def _competences(path_pk):
    return Competence.objects.filter(learning_paths=path_pk)


def format_minutes(minutes):
    """« 45 min », « 2 h », « 1 h 30 »."""
    hours, rest = divmod(minutes or 0, 60)
    if not hours:
        return _("%(m)s min") % {"m": rest}
    if not rest:
        return _("%(h)s h") % {"h": hours}
    return _("%(h)s h %(m)02d") % {"h": hours, "m": rest}


class LearningPathStep(Orderable):
    path = ParentalKey(LearningPathPage, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("titre de l'étape"), max_length=200)
    explanation = models.TextField(
        _("explication"),
        blank=True,
        help_text=_("Ce qu'il faut faire, en quelques phrases simples."),
    )
    estimated_minutes = models.PositiveIntegerField(
        _("durée estimée (minutes)"), default=15
    )
    linked_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("guide ou atelier du site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Un guide pratique ou un atelier de l'agenda."),
    )
    external_url = models.URLField(
        _("ressource extérieure"),
        blank=True,
        help_text=_(
            "Par exemple un parcours du Circuit de la Médiathèque départementale "
            "du Pas-de-Calais."
        ),
    )
    external_label = models.CharField(
        _("nom de la ressource extérieure"),
        max_length=200,
        blank=True,
        help_text=_("Le texte du lien, par exemple « Le Circuit : premiers pas »."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("explanation"),
        FieldPanel("estimated_minutes"),
        MultiFieldPanel(
            [
                PageChooserPanel("linked_page", page_type=STEP_TARGET_PAGE_TYPES),
                FieldRowPanel(
                    [FieldPanel("external_url"), FieldPanel("external_label")]
                ),
            ],
            heading=_("Lien (une page du site ou une ressource extérieure)"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")

    def __str__(self):
        return self.title

    @property
    def duration_display(self):
        return format_minutes(self.estimated_minutes)

    def clean(self):
        super().clean()
        if self.linked_page_id and self.external_url:
            raise ValidationError(
                {
                    "external_url": _(
                        "Choisissez soit une page du site, soit une ressource "
                        "extérieure, pas les deux."
                    )
                }
            )
        if self.external_label and not self.external_url:
            raise ValidationError(
                {"external_url": _("Indiquez l'adresse de la ressource extérieure.")}
            )

    @property
    def link_label(self):
        if self.linked_page_id:
            return self.linked_page.title
        return self.external_label or self.external_url


def prefetch_steps():
    """Prefetch for listing paths with their steps in a fixed number of
    queries."""
    return Prefetch(
        "steps",
        queryset=LearningPathStep.objects.select_related("linked_page").order_by(
            "sort_order", "pk"
        ),
    )
