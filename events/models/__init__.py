"""The agenda: venues, events with their recurrences, registrations.
One module per model family."""

from .pages import *  # noqa: F403
from .registrations import *  # noqa: F403
from .subscriptions import *  # noqa: F403
from .venues import *  # noqa: F403
