"""Local development: DEBUG, SQLite unless DATABASE_URL says otherwise, mail
printed on the console, one demo account per role."""

from .base import *

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PORTAL_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
PORTAL_DEMO_ACCOUNTS = True
PUBLIC_CACHE_MAX_AGE = 0

try:
    from .local import *  # noqa: F401
except ImportError:
    pass

MIDDLEWARE = [*MIDDLEWARE, "portal.middleware.FrenchNotFoundMiddleware"]
