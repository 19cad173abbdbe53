"""The agenda: venues, events with their recurrences, their stored
occurrences, registrations. One module per model family."""

from .appointments import *  # noqa: F403
from .finance import *  # noqa: F403
from .occurrences import *  # noqa: F403
from .pages import *  # noqa: F403
from .registrations import *  # noqa: F403
from .rooms import *  # noqa: F403
from .subscriptions import *  # noqa: F403
from .venues import *  # noqa: F403
