"""Admin of the resources app: each family registers its viewsets and hooks
in its own module, imported here so that Wagtail finds them."""

from . import (
    admin_badges,  # noqa: F401
    admin_guides,  # noqa: F401
)
