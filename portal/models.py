"""Page bases shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index


class SectionIndexPage(Page):
    """The one page at the top of a section (agenda, parcours, guides,
    bénévoles): a title and a short introduction, directly under home."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]

    max_count = 1
    parent_page_types = ["home.HomePage"]

    class Meta:
        abstract = True
