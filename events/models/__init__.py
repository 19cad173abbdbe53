"""The agenda: venues, events with their recurrences, their stored
occurrences, registrations. One module per model family."""

from events.models.pages import *  # noqa: F403, I001  (order: each module needs the ones above)
from events.models.occurrences import *  # noqa: F403
from events.models.filters import *  # noqa: F403
from events.models.index import *  # noqa: F403
from events.models.appointments import *  # noqa: F403
from events.models.finance import *  # noqa: F403
from events.models.registrations import *  # noqa: F403
from events.models.rooms import *  # noqa: F403
from events.models.subscriptions import *  # noqa: F403
from events.models.venues import *  # noqa: F403
from events.models.attendance import *  # noqa: F403
from events.fediverse.models import *  # noqa: F403
