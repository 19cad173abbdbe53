"""Local development: DEBUG, SQLite unless DATABASE_URL says otherwise, mail
printed on the console, one demo account per role."""

import os

from .base import *

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PORTAL_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
PORTAL_DEMO_ACCOUNTS = True
PUBLIC_CACHE_MAX_AGE = 0
# Where `make run` serves (the Makefile exports it from HOST and PORT); the
# demo loader puts the default Site there too, so links in mails work.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL

try:
    from .local import *  # noqa: F401
except ImportError:
    pass

MIDDLEWARE = [*MIDDLEWARE, "portal.middleware.FrenchNotFoundMiddleware"]
