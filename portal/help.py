"""The portal's own guide, in the admin's « Aide » menu.

One short page per task, written for non-technical editors and kept as
Markdown files in `portal/help_pages/` so they are reviewed like code. Each
page says which roles it is for; the index lists the reader's pages first.
Screenshots live in `portal/static/portal/help/` and are refreshed by
`manage.py help_screenshots` from the demo site.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import markdown
from django.http import Http404
from django.templatetags.static import static
from django.urls import path, reverse, reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from . import roles

PAGES_DIR = Path(__file__).resolve().parent / "help_pages"
# Images are written `![texte](static:portal/help/capture.png)` in the files,
# so they follow STATIC_URL and the manifest in production.
STATIC_SOURCE = re.compile(r'src="static:([\w./-]+)"')

ALL_ROLES = tuple(roles.ROLES)
MEDIATHEQUE_ROLES = (roles.ADMINISTRATION, roles.MODERATION, roles.MEDIATHEQUE_EDITORS)
STAFF_ROLES = (roles.ADMINISTRATION, roles.MODERATION)
CLX_ROLES = (roles.CLX_EDITORS, roles.CLX_COORDINATION)


@dataclass(frozen=True)
class HelpTopic:
    slug: str
    title: str
    summary: str
    roles: tuple

    @property
    def source(self):
        return PAGES_DIR / f"{self.slug}.md"

    def render(self):
        # The files are ours (reviewed in the repository), not user input.
        text = self.source.read_text(encoding="utf-8")
        html = markdown.markdown(text, extensions=["tables", "sane_lists"])
        html = STATIC_SOURCE.sub(lambda m: f'src="{static(m.group(1))}"', html)
        return mark_safe(html)  # noqa: S308

    def is_for(self, user):
        if user.is_superuser:
            return roles.ADMINISTRATION in self.roles
        names = set(user.groups.values_list("name", flat=True))
        return bool(names.intersection(self.roles))


TOPICS = [
    HelpTopic(
        "publier-un-evenement",
        _("Publier un événement qui revient, avec des dates annulées"),
        _("Créer l'événement, choisir la répétition, annuler une date, vérifier."),
        MEDIATHEQUE_ROLES + CLX_ROLES,
    ),
    HelpTopic(
        "redaction-clx-et-validation",
        _("Rédacteurs CLX : ce que vous pouvez faire et comment la validation marche"),
        _("Brouillon, soumission, commentaires de la médiathèque, mise en ligne."),
        ALL_ROLES,
    ),
    HelpTopic(
        "relire-et-valider",
        _("Relire et valider ce que CLX propose"),
        _("Approuver, demander des modifications avec un commentaire."),
        STAFF_ROLES,
    ),
    HelpTopic(
        "inscriptions-et-emargement",
        _("Gérer les inscriptions et la feuille d'émargement"),
        _("Voir les inscrits, la liste d'attente, imprimer et cocher les présents."),
        MEDIATHEQUE_ROLES,
    ),
    HelpTopic(
        "rendez-vous-assistance",
        _("L'assistance informatique sur rendez-vous"),
        _("Ouvrir les créneaux, imprimer la journée, noter ce qui a été fait."),
        ALL_ROLES,
    ),
    HelpTopic(
        "demander-la-salle",
        _("Demander la salle, confirmer une demande"),
        _("Les créneaux convenus, la demande de CLX, la réponse de la médiathèque."),
        ALL_ROLES,
    ),
    HelpTopic(
        "engagements-financiers",
        _("Une dépense pour un événement : qui autorise, et quand publier"),
        _("Proposer une dépense, l'autorisation de la ville, l'accord de CLX."),
        ALL_ROLES,
    ),
    HelpTopic(
        "badge-depuis-emargement",
        _("Décerner un badge aux présents d'un atelier"),
        _("À partir de la feuille d'émargement, en une fois."),
        MEDIATHEQUE_ROLES,
    ),
    HelpTopic(
        "charte-benevole",
        _("Enregistrer la charte signée d'un bénévole"),
        _("Signature du bénévole, contre-signature de la médiathèque, renouvellement."),
        STAFF_ROLES + (roles.CLX_COORDINATION,),
    ),
    HelpTopic(
        "envois-en-echec",
        _("Des e-mails n'ont pas pu partir"),
        _("La file d'envoi, les envois en échec, le bouton « Renvoyer »."),
        STAFF_ROLES,
    ),
    HelpTopic(
        "effacer-des-donnees",
        _("Effacer les données d'une personne"),
        _("Une inscription, un bénévole, une personne qui a reçu un badge."),
        STAFF_ROLES,
    ),
]
TOPICS_BY_SLUG = {topic.slug: topic for topic in TOPICS}


def topics_for(user):
    """Every topic, the reader's own first (reading is harmless: nothing here
    is hidden, the order only saves time)."""
    mine = [topic for topic in TOPICS if topic.is_for(user)]
    others = [topic for topic in TOPICS if topic not in mine]
    return mine, others


class HelpIndexView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Guide du portail")
    header_icon = "help"
    template_name = "portal/admin/help/index.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        mine, others = topics_for(self.request.user)
        return super().get_context_data(mine=mine, others=others, **kwargs)


class HelpTopicView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "help"
    template_name = "portal/admin/help/topic.html"

    def dispatch(self, request, *args, slug, **kwargs):
        self.topic = TOPICS_BY_SLUG.get(slug)
        if self.topic is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.topic.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("portal_help:index"), "label": _("Guide du portail")},
            {"url": "", "label": self.topic.title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            topic=self.topic, body=self.topic.render(), **kwargs
        )


class HelpViewSet(ViewSet):
    """The guide's admin URLs: /admin/aide/ and /admin/aide/<page>/. Every
    account that reaches the admin may read it."""

    name = "portal_help"
    url_prefix = "aide"
    icon = "help"

    def get_urlpatterns(self):
        return [
            path("", HelpIndexView.as_view(), name="index"),
            path("<unicode_slug:slug>/", HelpTopicView.as_view(), name="topic"),
        ]


def help_menu_item():
    return MenuItem(
        _("Guide du portail (en français)"),
        reverse_lazy("portal_help:index"),
        icon_name="help",
        order=900,
        name="portal-help",
    )


# Wagtail's own guide: for editors who read English, after ours.
WAGTAIL_GUIDE = "editor-guide"


def arrange_help_menu(menu_items):
    """The « Aide » menu as our editors need it: the portal's guide first
    (its order, 900, is before Wagtail's items), Wagtail's English editor
    guide last and labelled as English, no « What's new in Wagtail » (it
    speaks to developers)."""
    menu_items[:] = [
        item for item in menu_items if not item.name.startswith("whats-new")
    ]
    last = max((item.order for item in menu_items), default=0)
    for item in menu_items:
        if item.name == WAGTAIL_GUIDE:
            item.label = _("Guide de l'éditeur Wagtail (en anglais)")
            item.attrs = {**item.attrs, "hreflang": "en"}
            item.order = last + 1
