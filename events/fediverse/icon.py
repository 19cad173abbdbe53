"""The actors' profile picture as a PNG (Mastodon shows no SVG avatar).

It is the site's favicon (portal/static/portal/img/favicon.svg: a screen
drawn in white on the site's blue) redrawn with Pillow on a full square,
since Mastodon rounds avatars itself. The file is committed; after a change
of the favicon, write it again with `python -m events.fediverse.icon`.
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw

STATIC_PATH = "portal/img/agenda-fediverse.png"
FILE = Path(__file__).resolve().parents[2] / "portal" / "static" / STATIC_PATH
SIZE = 400  # Mastodon's avatar size
BLUE = (0x1B, 0x3F, 0x73)
WHITE = (0xFF, 0xFF, 0xFF)
SUPERSAMPLE = 4


def draw(size=SIZE):
    """The icon, `size` pixels square: the favicon's 32-unit drawing scaled,
    drawn large then reduced (smooth edges)."""
    big = size * SUPERSAMPLE
    unit = big / 32
    image = Image.new("RGB", (big, big), BLUE)
    pen = ImageDraw.Draw(image)
    width = round(2.5 * unit)
    half = width / 2  # SVG strokes straddle the path; Pillow's go inside
    # The favicon's path: the screen (10,10)–(22,19), the stand y=22, 8→24.
    pen.rectangle(
        [10 * unit - half, 10 * unit - half, 22 * unit + half, 19 * unit + half],
        outline=WHITE,
        width=width,
    )
    pen.line([8 * unit, 22 * unit, 24 * unit, 22 * unit], fill=WHITE, width=width)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def write(path=FILE):
    draw().save(path, "PNG", optimize=True)
    return path


if __name__ == "__main__":
    sys.stdout.write(f"{write()}\n")
