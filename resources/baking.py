"""Baked badge images (Open Badges 2.0 baking specification, PNG).

Rule: a baked badge is the badge class's PNG with one `iTXt` chunk whose
keyword is `openbadges` and whose text is the assertion (its JSON-LD, which
holds its own hosted URL). Any chunk of that keyword already present is
replaced, never duplicated.
"""

import io
import json

from PIL import Image, PngImagePlugin

KEYWORD = "openbadges"


def bake(png_bytes, assertion_document):
    """Return the PNG bytes with the assertion baked in."""
    text = json.dumps(assertion_document, ensure_ascii=False, separators=(",", ":"))
    with Image.open(io.BytesIO(png_bytes)) as picture:
        picture.load()
        info = PngImagePlugin.PngInfo()
        # Keep the image's other text chunks, drop any earlier baking.
        for key, value in getattr(picture, "text", {}).items():
            if key != KEYWORD:
                info.add_text(key, value)
        info.add_itxt(KEYWORD, text, lang="", tkey="", zip=False)
        output = io.BytesIO()
        picture.save(output, format="PNG", pnginfo=info)
    return output.getvalue()


def read_baked(png_bytes):
    """The text of the `openbadges` chunk of a PNG, or None."""
    with Image.open(io.BytesIO(png_bytes)) as picture:
        picture.load()
        return picture.text.get(KEYWORD)
