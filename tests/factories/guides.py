"""Re-exported from `resources.factories`."""

from resources.factories import (
    GuideIndexPageFactory,
    MachineFactory,
    code_extra,
    image_extra,
    make_guide,
    make_image,
    step,
    text_extra,
)

__all__ = [
    "GuideIndexPageFactory",
    "MachineFactory",
    "code_extra",
    "image_extra",
    "make_guide",
    "make_image",
    "step",
    "text_extra",
]
