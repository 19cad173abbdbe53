"""Home page, standard pages (about, legal), the partners and the site's
editable identity (publisher, host, contacts)."""

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.page_forms import PortalPageForm

from .blocks import BodyBlock


class Partner(index.Indexed, ClusterableModel):
    """One of the two partners of the agreement (or a later one)."""

    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(
        _("nom court"), max_length=60, help_text=_("Par exemple « CLX ».")
    )
    slug = models.SlugField(
        _("identifiant d'URL"),
        allow_unicode=True,
        unique=True,
        help_text=_("Utilisé dans les filtres de l'agenda, par exemple « clx »."),
    )
    description = models.TextField(_("présentation"), blank=True)
    address = models.CharField(_("adresse"), max_length=255)
    postal_code = models.CharField(_("code postal"), max_length=10)
    city = models.CharField(_("ville"), max_length=100)
    website = models.URLField(
        _("site web"),
        blank=True,
        help_text=_(
            "Adresse en http(s)://, par exemple https://clx.asso.fr/. Ce site est "
            "le seul, avec ceux des autres partenaires, à pouvoir intégrer le "
            "widget de l'agenda."
        ),
    )
    email = models.EmailField(_("e-mail de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    representative = models.CharField(
        _("représentant légal"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « M. Antoine Logie, maire »."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sort_order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name"), FieldPanel("short_name")]),
                FieldPanel("slug"),
                FieldPanel("description"),
                FieldPanel("logo"),
            ],
            heading=_("Identité"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("city")]),
                FieldPanel("representative"),
            ],
            heading=_("Adresse et représentant"),
        ),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("email"), FieldPanel("phone")],
            heading=_("Contact public"),
        ),
        FieldPanel("sort_order"),
        InlinePanel(
            "memberships",
            heading=_("Adhésion annuelle de la ville"),
            label=_("Adhésion"),
            help_text=_(
                "« La mairie de Wimille s'engage à souscrire à l'association pour "
                "un montant de 50 € par an » : une ligne par année."
            ),
        ),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("short_name"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.website and urlsplit(self.website).scheme not in ("http", "https"):
            raise ValidationError(
                {
                    "website": _(
                        "Indiquez l'adresse du site en http:// ou https://, par "
                        "exemple https://clx.asso.fr/."
                    )
                }
            )

    @property
    def full_address(self):
        return f"{self.address}, {self.postal_code} {self.city}"


class MembershipQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(year=year)


class Membership(models.Model):
    """The town's yearly subscription to a partner association (the
    agreement's 50 € a year to CLX), recorded when it is paid."""

    partner = ParentalKey(
        Partner,
        verbose_name=_("partenaire"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    year = models.PositiveSmallIntegerField(
        _("année"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    amount = models.DecimalField(
        _("montant (€)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=[
            MinValueValidator(
                Decimal("0.01"), message=_("Le montant doit être positif.")
            ),
            MaxValueValidator(
                Decimal("10000"), message=_("Montant trop élevé : vérifiez la saisie.")
            ),
        ],
    )
    paid_on = models.DateField(
        _("payée le"),
        null=True,
        blank=True,
        help_text=_("Laisser vide tant que le mandat n'est pas payé."),
    )
    notes = models.CharField(
        _("référence"),
        max_length=200,
        blank=True,
        help_text=_("Numéro de mandat ou de délibération."),
    )

    objects = MembershipQuerySet.as_manager()

    panels = [
        FieldPanel("partner"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("amount")]),
        FieldRowPanel([FieldPanel("paid_on"), FieldPanel("notes")]),
    ]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("adhésion de la ville")
        verbose_name_plural = _("adhésions de la ville")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "year"], name="home_membership_one_per_year"
            )
        ]

    def __str__(self):
        return f"{self.partner} – {self.year}"

    def clean(self):
        super().clean()
        if self.paid_on and self.paid_on > timezone.localdate():
            raise ValidationError(
                {"paid_on": _("Une date de paiement ne peut pas être dans le futur.")}
            )
        if (
            self.paid_on
            and self.year
            and self.paid_on < datetime.date(self.year - 1, 1, 1)
        ):
            raise ValidationError(
                {"paid_on": _("Cette date est bien avant l'année de l'adhésion.")}
            )


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """The site's identity for legal pages and the footer, editable by staff."""

    publisher_name = models.CharField(
        _("éditeur du site"),
        max_length=200,
        default="Commune de Wimille – Médiathèque de Wimille",
    )
    publisher_address = models.CharField(
        _("adresse de l'éditeur"),
        max_length=255,
        default="Espace Pilâtre de Rozier, 3 rue de Ledinghen, 62126 Wimille",
    )
    publisher_phone = models.CharField(
        _("téléphone de l'éditeur"), max_length=30, blank=True
    )
    publisher_email = models.EmailField(_("e-mail de l'éditeur"), blank=True)
    publication_director = models.CharField(
        _("directeur de la publication"),
        max_length=200,
        default="M. Antoine Logie, maire de Wimille",
        help_text=_("Le représentant légal de l'éditeur (LCEN, art. 6-III)."),
    )
    host_name = models.CharField(
        _("hébergeur : nom"),
        max_length=200,
        default="Hébergeur à désigner",
        help_text=_("Raison sociale de l'hébergeur du site (LCEN, art. 6-III)."),
    )
    host_address = models.CharField(
        _("hébergeur : adresse"), max_length=255, default="Adresse à compléter"
    )
    host_phone = models.CharField(
        _("hébergeur : téléphone"), max_length=30, default="Téléphone à compléter"
    )
    privacy_contact_email = models.EmailField(
        _("e-mail pour les données personnelles"),
        default="donnees-personnelles@mediatheque-wimille.fr",
        help_text=_("Adresse où exercer ses droits (RGPD)."),
    )
    accessibility_contact_email = models.EmailField(
        _("e-mail pour l'accessibilité"),
        default="accessibilite@mediatheque-wimille.fr",
    )
    footer_text = models.CharField(
        _("texte du pied de page"),
        max_length=255,
        blank=True,
        default="Un atelier numérique citoyen, gratuit et ouvert à tous.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("publisher_name"),
                FieldPanel("publisher_address"),
                FieldRowPanel(
                    [FieldPanel("publisher_phone"), FieldPanel("publisher_email")]
                ),
                FieldPanel("publication_director"),
            ],
            heading=_("Éditeur"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("host_name"),
                FieldPanel("host_address"),
                FieldPanel("host_phone"),
            ],
            heading=_("Hébergeur"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("privacy_contact_email"),
                FieldPanel("accessibility_contact_email"),
                FieldPanel("footer_text"),
            ],
            heading=_("Contacts et pied de page"),
        ),
    ]

    class Meta:
        verbose_name = _("identité du site")


class HomePage(Page):
    intro = RichTextField(
        _("introduction"),
        features=["bold", "italic", "link"],
        blank=True,
        help_text=_("Deux ou trois phrases sous le titre de la page d'accueil."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "events.EventIndexPage",
        "resources.LearningPathIndexPage",
        "resources.GuideIndexPage",
        "volunteers.VolunteerIndexPage",
    ]

    class Meta:
        verbose_name = _("page d'accueil")


class StandardPage(Page):
    """About page and the legal pages: a title, an introduction and blocks."""

    # Says which abandoned draft holds a slug (portal/page_forms.py).
    base_form_class = PortalPageForm

    intro = models.TextField(_("chapeau"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"))
    last_reviewed = models.DateField(
        _("dernière mise à jour du contenu"),
        null=True,
        blank=True,
        help_text=_("Affichée en bas de page, utile pour les pages légales."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    api_fields = [APIField("intro"), APIField("body"), APIField("last_reviewed")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("page standard")
        verbose_name_plural = _("pages standard")
