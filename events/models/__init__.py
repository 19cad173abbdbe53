"""The agenda: venues, events with their recurrences, their stored
occurrences, registrations. One module per model family."""

from .pages import *  # noqa: F403, I001  (order: each module needs the ones above)
from .occurrences import *  # noqa: F403
from .filters import *  # noqa: F403
from .index import *  # noqa: F403
from .appointments import *  # noqa: F403
from .finance import *  # noqa: F403
from .registrations import *  # noqa: F403
from .rooms import *  # noqa: F403
from .subscriptions import *  # noqa: F403
from .venues import *  # noqa: F403
from .attendance import *  # noqa: F403
from events.fediverse.models import *  # noqa: F403
