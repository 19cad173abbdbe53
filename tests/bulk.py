"""Building hundreds of objects for a query budget.

After each save, the task queue writes the page into Wagtail's search index
and its reference index (the admin's « utilisations »). The public pages a
budget measures read neither, so `without_indexing()` leaves both out while
the data is built: about 40 % of the time of 500 events. A budget that
measures the site search must not use it.
"""

from contextlib import contextmanager

from django.conf import settings
from django.test import override_settings
from wagtail.signal_handlers import disable_reference_index_auto_update


@contextmanager
def without_indexing():
    backends = {
        name: {**config, "AUTO_UPDATE": False}
        for name, config in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        with disable_reference_index_auto_update():
            yield
