"""Learning paths, Open Badges and practical guides: one module per family."""

from .badges import *  # noqa: F403
from .credentials import *  # noqa: F403
from .guides import *  # noqa: F403
from .paths import *  # noqa: F403
