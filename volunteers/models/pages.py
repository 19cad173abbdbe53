"""The directory of « bénévoles dédiés au numérique » and their charter."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index


class Volunteer(models.Model):
    display_name = models.CharField(_("nom affiché"), max_length=100)

    panels = [FieldPanel("display_name")]

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("bénévole")
        verbose_name_plural = _("bénévoles")

    def __str__(self):
        return self.display_name


class VolunteerIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("annuaire des bénévoles")
