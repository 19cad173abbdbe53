"""Venues: where events take place, with their accessibility."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

__all__ = ["Venue"]


class Venue(index.Indexed, models.Model):
    """A place where events happen, with what a visitor needs to get in."""

    name = models.CharField(_("nom"), max_length=200)
    address = models.CharField(
        _("adresse"),
        max_length=255,
        help_text=_("Numéro et rue, par exemple « 3 rue de Ledinghen »."),
    )
    postal_code = models.CharField(_("code postal"), max_length=10)
    city = models.CharField(_("ville"), max_length=100)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    step_free_access = models.BooleanField(
        _("accès de plain-pied"),
        default=False,
        help_text=_("Entrée et salle accessibles sans marche (ou par un ascenseur)."),
    )
    adapted_toilets = models.BooleanField(_("toilettes adaptées"), default=False)
    hearing_loop = models.BooleanField(
        _("boucle magnétique"),
        default=False,
        help_text=_("Pour les personnes appareillées (position T)."),
    )
    transport_notes = models.TextField(
        _("transports en commun"),
        blank=True,
        help_text=_("Lignes de bus ou de train, arrêt le plus proche."),
    )
    accessibility_notes = models.TextField(
        _("autres informations d'accessibilité"), blank=True
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("city")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Adresse"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("step_free_access"),
                FieldPanel("adapted_toilets"),
                FieldPanel("hearing_loop"),
                FieldPanel("transport_notes"),
                FieldPanel("accessibility_notes"),
            ],
            heading=_("Accessibilité"),
        ),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("city"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")

    def __str__(self):
        return self.name

    @property
    def full_address(self):
        return f"{self.address}, {self.postal_code} {self.city}"

    @property
    def accessibility_features(self):
        """Readable list of what the venue offers, for the event page."""
        labels = []
        if self.step_free_access:
            labels.append(_("Accès de plain-pied"))
        if self.adapted_toilets:
            labels.append(_("Toilettes adaptées"))
        if self.hearing_loop:
            labels.append(_("Boucle magnétique"))
        return labels
