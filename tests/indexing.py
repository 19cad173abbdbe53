"""Wagtail's search index and reference index in the tests.

On the site, each save queues two tasks: the page goes into the search index
(`/recherche/`, the API's `?search=`, the admin's `?q=`) and into the
reference index (the admin's « utilisations », the erasure of a volunteer's
photo). In the tests the queue runs each task at once, and the two cost
about a sixth of the time of the tests that never read either index.

So both are written only for a test marked `indexed` (and whatever the
site's tree and the demo put in them when they are built, as `make run`
does). A module that searches, or reads references, must carry the mark:
`pytest_collection_modifyitems` in `tests/conftest.py` refuses one that
does not (`reads_an_index`), so a check that « X is not found » cannot pass
only because nothing was indexed.
"""

import re
from contextlib import contextmanager

from django.conf import settings
from django.test import override_settings
from wagtail import signal_handlers

# What a test module that reads an index contains: the site search, a search
# parameter (API, admin listings, choosers), the reference index.
_READS_AN_INDEX = re.compile(
    r"/recherche|[?&]q=|[\"']q[\"']\s*:|\bsearch[=\"_]|(?<!\bre)\.search\("
    r"|ReferenceIndex|references_index|update_index"
)


def reads_an_index(source):
    return _READS_AN_INDEX.search(source) is not None


@contextmanager
def indexing(enabled):
    """Search and reference indexes written after each save (`True`), as on
    the site, or not at all (`False`)."""
    backends = {
        name: {**config, "AUTO_UPDATE": enabled}
        for name, config in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    flag = signal_handlers.reference_index_auto_update_disabled
    before = getattr(flag, "value", False)
    flag.value = not enabled
    try:
        with override_settings(WAGTAILSEARCH_BACKENDS=backends):
            yield
    finally:
        flag.value = before
