"""Local development: DEBUG, SQLite unless DATABASE_URL says otherwise, mail
printed on the console, one demo account per role."""

import os

from .base import *

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Mail is shown on the console; PORTAL_DELIVERY_EMAIL_BACKEND=smtp with
# EMAIL_HOST / EMAIL_PORT tries a real (local) mail server instead.
PORTAL_DELIVERY_EMAIL_BACKEND = {
    "": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}[os.environ.get("PORTAL_DELIVERY_EMAIL_BACKEND", "")]
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
PORTAL_DEMO_ACCOUNTS = True
# The demo's badges are signed with a key made on first use in var/ob3-keys/
# (git-ignored), unless BADGES_OB3_KEYS_DIR points elsewhere.
BADGES_OB3_GENERATE_KEY = True
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
