"""StreamField blocks of the practical guides: numbered steps made of text,
images (always described), a link to a video, code, tips and warnings."""

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from portal.prepared import prepared_query

# Renditions used by step images; fetched in bulk with the images themselves.
STEP_IMAGE_FILTER = "max-800x800"


class PrefetchingImageChooserBlock(ImageChooserBlock):
    """An image chooser that loads every image of a stream with the rendition
    the template uses: one query whatever the number of steps (the
    renditions with their image), and a second one only for images that
    have no such rendition yet."""

    def bulk_to_python(self, values):
        ids = sorted({value for value in values if value is not None})
        images = {}
        if ids:
            renditions = self.model_class.get_rendition_model()
            for rendition in _step_renditions(ids, STEP_IMAGE_FILTER, model=renditions):
                image = images.setdefault(rendition.image_id, rendition.image)
                if not hasattr(image, "prefetched_renditions"):
                    image.prefetched_renditions = []
                rendition.image = image
                image.prefetched_renditions.append(rendition)
        missing = [pk for pk in ids if pk not in images]
        if missing:
            images.update(
                self.model_class.objects.prefetch_renditions(STEP_IMAGE_FILTER).in_bulk(
                    missing
                )
            )
        return [images.get(value) for value in values]


@prepared_query
def _step_renditions(image_ids, filter_spec, *, model):
    return model.objects.filter(
        image_id__in=image_ids, filter_spec=filter_spec
    ).select_related("image")


class StepImageBlock(blocks.StructBlock):
    image = PrefetchingImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Texte alternatif"),
        max_length=250,
        help_text=_(
            "Obligatoire : décrivez ce que montre l'image pour une personne qui "
            "ne la voit pas (par exemple « Le plateau de l'imprimante, buse en "
            "haut à gauche »)."
        ),
    )
    caption = blocks.CharBlock(label=_("Légende"), required=False, max_length=250)

    def clean(self, value):
        # CharBlock accepts a string of spaces; a blank description is no
        # description for a screen reader user.
        if value.get("image") and not (value.get("alt_text") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        _("Décrivez l'image : le texte alternatif est obligatoire.")
                    )
                }
            )
        return super().clean(value)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "resources/blocks/step_image.html"


class VideoLinkBlock(blocks.StructBlock):
    """A video hosted elsewhere, shown as a link: the site loads nothing from
    another origin (privacy, Content-Security-Policy)."""

    url = blocks.URLBlock(
        label=_("Adresse de la vidéo"),
        help_text=_("Par exemple une vidéo PeerTube ou YouTube."),
    )
    title = blocks.CharBlock(label=_("Titre de la vidéo"), max_length=200)
    duration = blocks.CharBlock(
        label=_("Durée"),
        required=False,
        max_length=20,
        help_text=_("Par exemple « 4 min »."),
    )

    class Meta:
        icon = "media"
        label = _("Vidéo")
        template = "resources/blocks/step_video.html"


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(
        label=_("Type"),
        choices=[
            ("shell", _("Commande à taper dans un terminal")),
            ("text", _("Texte à copier")),
            ("gcode", _("G-code")),
        ],
        default="shell",
    )
    code = blocks.TextBlock(label=_("Code"))

    class Meta:
        icon = "code"
        label = _("Code ou commande")
        template = "resources/blocks/step_code.html"


class CalloutBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("Texte"), features=["bold", "italic", "link"])

    class Meta:
        icon = "help"


class TipBlock(CalloutBlock):
    class Meta:
        label = _("Astuce")
        icon = "help"
        template = "resources/blocks/step_tip.html"


class WarningBlock(CalloutBlock):
    class Meta:
        label = _("Attention")
        icon = "warning"
        template = "resources/blocks/step_warning.html"


class StepExtrasBlock(blocks.StreamBlock):
    image = StepImageBlock()
    video = VideoLinkBlock()
    code = CodeBlock()
    tip = TipBlock()
    warning = WarningBlock()

    class Meta:
        label = _("Illustrations et encadrés")
        required = False


class StepBlock(blocks.StructBlock):
    """One numbered step: a short title, what to do, then optional pictures,
    commands and callouts."""

    title = blocks.CharBlock(
        label=_("Titre de l'étape"),
        max_length=200,
        help_text=_("Une action, par exemple « Nettoyer le plateau »."),
    )
    text = blocks.RichTextBlock(
        label=_("Ce qu'il faut faire"),
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
    )
    extras = StepExtrasBlock(label=_("Illustrations et encadrés"), required=False)

    def clean(self, value):
        if not strip_tags(
            value.get("text").source if value.get("text") else ""
        ).strip():
            raise StructBlockValidationError(
                block_errors={
                    "text": ValidationError(
                        _(
                            "Cette étape est vide : expliquez ce qu'il faut faire, "
                            "ou supprimez l'étape."
                        )
                    )
                }
            )
        return super().clean(value)

    class Meta:
        icon = "list-ol"
        label = _("Étape")
        template = "resources/blocks/step.html"
        preview_value = {
            "title": "Nettoyer le plateau",
            "text": "<p>Passez un chiffon imbibé d'alcool isopropylique.</p>",
        }


class GuideStepsBlock(blocks.StreamBlock):
    step = StepBlock()

    class Meta:
        min_num = 1
        label = _("Étapes")
