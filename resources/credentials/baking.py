"""Baked Open Badges 3.0 images (OB 3.0 §5.3, Baking).

Rule: a baked PNG is the badge class's PNG with one `iTXt` chunk keyed
`openbadgecredential` whose text is the signed credential, byte for byte as
stored; a baked SVG wraps the badge PNG and holds the same text in an
`<openbadges:credential>` element (namespace
https://purl.imsglobal.org/ob/v3p0). Reading either gives the credential
back unchanged, so its proof still verifies.
"""

import base64
import io
import re
from xml.sax.saxutils import quoteattr

from PIL import Image

from resources.baking import bake_text

PNG_KEYWORD = "openbadgecredential"
SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"


def bake_png(png_bytes, credential_text):
    return bake_text(png_bytes, PNG_KEYWORD, credential_text)


def read_png(png_bytes):
    with Image.open(io.BytesIO(png_bytes)) as picture:
        picture.load()
        return picture.text.get(PNG_KEYWORD)


def _cdata(text):
    # "]]>" cannot appear inside one CDATA section: split it across two.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def bake_svg(png_bytes, credential_text, title):
    with Image.open(io.BytesIO(png_bytes)) as picture:
        width, height = picture.size
    data = base64.b64encode(png_bytes).decode()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'xmlns:openbadges="{SVG_NAMESPACE}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label={quoteattr(title)}>\n'
        f"<openbadges:credential>{_cdata(credential_text)}</openbadges:credential>\n"
        f'<image width="{width}" height="{height}" '
        f'href="data:image/png;base64,{data}"/>\n'
        "</svg>\n"
    ).encode()


_CREDENTIAL_ELEMENT = re.compile(
    r"<openbadges:credential(?:\s[^>]*)?>(.*?)</openbadges:credential>", re.S
)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)


def read_svg(svg_bytes):
    """The credential text of a baked SVG made here, or None."""
    match = _CREDENTIAL_ELEMENT.search(svg_bytes.decode())
    if match is None:
        return None
    return "".join(_CDATA.findall(match.group(1)))
