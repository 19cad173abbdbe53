"""StreamField blocks for the home and standard pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Titre"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=[("h2", _("Titre de section (h2)")), ("h3", _("Sous-titre (h3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Titre")
        template = "blocks/heading_block.html"
        preview_value = {"text": "Nos rendez-vous", "level": "h2"}


class SiteInfoBlock(blocks.StructBlock):
    """Shows details kept in one place (site settings, partner snippets), so a
    legal page never carries a stale copy of an address."""

    kind = blocks.ChoiceBlock(
        label=_("Informations à afficher"),
        choices=[
            ("publisher", _("Éditeur et directeur de la publication")),
            ("host", _("Hébergeur du site")),
            ("partners", _("Coordonnées des partenaires")),
            ("contact", _("Contact pour les données personnelles")),
            ("accessibility_contact", _("Contact accessibilité")),
        ],
    )

    class Meta:
        icon = "site"
        label = _("Informations du site")
        template = "blocks/site_info_block.html"
        preview_value = {"kind": "partners"}


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), required=False, max_length=200)
    text = blocks.RichTextBlock(
        label=_("Texte"), features=["bold", "italic", "link", "ul", "ol"]
    )

    class Meta:
        icon = "help"
        label = _("Encadré")
        template = "blocks/callout_block.html"
        preview_value = {"title": "Bon à savoir", "text": "<p>L'accès est gratuit.</p>"}


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraphe"),
        features=["h3", "bold", "italic", "link", "document-link", "ol", "ul"],
        preview_value="<p>Un atelier ouvert à tous, gratuit.</p>",
    )
    image = ImageBlock(label=_("Image"))
    callout = CalloutBlock()
    site_info = SiteInfoBlock()

    class Meta:
        label = _("Contenu")
