"""Baked badge images (Open Badges 2.0 baking specification, PNG).

Rule: a baked badge is the badge class's PNG with one `iTXt` chunk whose
keyword is `openbadges` and whose text is the assertion (its JSON-LD, which
holds its own hosted URL). Any chunk of that keyword already present is
replaced, never duplicated. A baked image is built once per assertion
document and kept in storage (`stored_bake`), not rebuilt per request.
"""

import hashlib
import io
import json

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, PngImagePlugin

KEYWORD = "openbadges"


def bake_text(png_bytes, keyword, text):
    """Return the PNG bytes with `text` in an iTXt chunk keyed `keyword`
    (Open Badges 2.0 and 3.0 bake the same way, under their own keys)."""
    with Image.open(io.BytesIO(png_bytes)) as picture:
        picture.load()
        info = PngImagePlugin.PngInfo()
        # Keep the image's other text chunks, drop any earlier baking.
        for key, value in getattr(picture, "text", {}).items():
            if key != keyword:
                info.add_text(key, value)
        info.add_itxt(keyword, text, lang="", tkey="", zip=False)
        output = io.BytesIO()
        picture.save(output, format="PNG", pnginfo=info)
    return output.getvalue()


def bake(png_bytes, assertion_document):
    """Return the PNG bytes with the assertion baked in."""
    text = json.dumps(assertion_document, ensure_ascii=False, separators=(",", ":"))
    return bake_text(png_bytes, KEYWORD, text)


def stored_bake(uid, badge_png, assertion_document):
    """The baked PNG of assertion `uid`, built on first use and stored under
    a name that changes with the document (a revocation or a new image
    bakes again). `badge_png` is a callable returning the class's PNG."""
    text = json.dumps(assertion_document, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(text.encode()).hexdigest()[:20]
    name = f"badges/baked/{uid}-{digest}.png"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    baked = bake(badge_png(), assertion_document)
    default_storage.save(name, ContentFile(baked))
    return baked


def read_baked(png_bytes):
    """The text of the `openbadges` chunk of a PNG, or None."""
    with Image.open(io.BytesIO(png_bytes)) as picture:
        picture.load()
        return picture.text.get(KEYWORD)
