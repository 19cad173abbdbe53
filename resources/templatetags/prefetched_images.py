"""`{% prefetched_image %}`: Wagtail's `{% image %}` without writing to the
cache a rendition that is already known.

Wagtail's tag writes the rendition to the cache on every render, even when
it was prefetched with the image (`prefetch_renditions`) or just read from
that cache: a round trip, and the pickling of the rendition and its image,
per image shown. This tag reads the rendition among the prefetched ones,
or else from the cache, and writes nothing; when neither has it (not
created yet, or not cached), it does exactly what `{% image %}` does
(database, creation, cache write). Same arguments, same HTML.
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
        spec = image.clean_filter_for_svg(self.get_filter())
        if image._get_prefetched_renditions() is not None:
            rendition = image.find_existing_renditions(spec).get(spec)
        else:
            rendition = _cached_rendition(image, spec)
        if rendition is None:
            rendition = get_rendition_or_not_found(image, self.get_filter())
        attrs = {key: value.resolve(context) for key, value in self.attrs.items()}
        return rendition.img_tag(attrs)


def _cached_rendition(image, spec):
    # As Image.find_existing_renditions() reads the cache, without going on
    # to the database: a rendition found there is written back by the caller.
    Rendition = image.get_rendition_model()
    key = Rendition.construct_cache_key(image, spec.get_cache_key(image), spec.spec)
    rendition = Rendition.cache_backend.get(key)
    if rendition is not None:
        rendition.image = image
    return rendition


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
