"""StreamField blocks for the body of an event page."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from home.blocks import CalloutBlock, HeadingBlock


class EventBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraphe"),
        features=["h3", "bold", "italic", "link", "document-link", "ol", "ul"],
        preview_value=(
            "<p>Venez avec votre ordinateur : les bénévoles de CLX vous aident "
            "à installer un système libre.</p>"
        ),
    )
    image = ImageBlock(label=_("Image"))
    callout = CalloutBlock()

    class Meta:
        label = _("Contenu")
