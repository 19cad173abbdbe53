"""Re-exported from `resources.factories` and `home.factories`."""

from home.factories import (
    ensure_root_collection,
    png_bytes,
    wagtail_image,
)
from resources.factories import (
    CompetenceFactory,
    LearningPathIndexPageFactory,
    award,
    create_badge_class,
    create_competence,
    create_path,
    path_index,
    path_step,
)

__all__ = [
    "CompetenceFactory",
    "LearningPathIndexPageFactory",
    "award",
    "create_badge_class",
    "create_competence",
    "create_path",
    "ensure_root_collection",
    "path_index",
    "path_step",
    "png_bytes",
    "wagtail_image",
]
