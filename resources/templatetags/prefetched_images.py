"""`{% prefetched_image %}`: Wagtail's `{% image %}` for images loaded with
`prefetch_renditions`.

Wagtail's tag writes the rendition to the cache on every render, even when
it was prefetched with the image (a cache round trip and the pickling of
the rendition and its image, per image shown). When the image's renditions
were prefetched, this tag reads the rendition among them and writes
nothing; otherwise (not prefetched, or not created yet) it does exactly
what `{% image %}` does. Same arguments, same HTML.
"""

from django import template
from django.template.base import Token
from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.images.templatetags.wagtailimages_tags import ImageNode, image

register = template.Library()


class PrefetchedImageNode(ImageNode):
    def render(self, context):
        image = self.validate_image(context)
        if not image or self.output_var_name:
            return super().render(context)
        rendition = None
        if image._get_prefetched_renditions() is not None:
            spec = image.clean_filter_for_svg(self.get_filter())
            rendition = image.find_existing_renditions(spec).get(spec)
        if rendition is None:
            rendition = get_rendition_or_not_found(image, self.get_filter())
        attrs = {key: value.resolve(context) for key, value in self.attrs.items()}
        return rendition.img_tag(attrs)


@register.tag
def prefetched_image(parser, token):
    # Parsed by Wagtail's own tag, as `{% image … %}`.
    name, _, arguments = token.contents.partition(" ")
    as_image = Token(
        token.token_type, f"image {arguments}", token.position, token.lineno
    )
    node = image(parser, as_image)
    return PrefetchedImageNode(
        node.image_expr, node.filter_specs, node.output_var_name, node.attrs
    )
