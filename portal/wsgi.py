"""The WSGI application: `gunicorn portal.wsgi` in production (README).

Once the application and every module its URLs reach are loaded, they are
moved out of the garbage collector's sight (`gc.freeze()`): the ~270,000
objects of Django, Wagtail and the project live as long as the process,
and without this each full collection walks all of them again — about
165 ms every few hundred requests, 0.4 ms of every cold page on average
(`python bench/profile_page.py` and issue 31's note). Frozen objects are
still freed if they become garbage, only not inspected; objects made by
requests are collected as before. With `gunicorn --preload`, the freeze
also keeps the workers from copying the shared pages they would otherwise
touch.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()


def freeze_loaded_code():
    """Import what the URLs reach (views, forms, models, Wagtail's admin),
    collect what loading left behind, then freeze the rest."""
    get_resolver().url_patterns  # noqa: B018 - imports the URL modules
    gc.collect()
    gc.freeze()


freeze_loaded_code()
