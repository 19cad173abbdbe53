"""Production: everything secret or host-specific comes from the environment.

Required: SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, WAGTAILADMIN_BASE_URL,
BADGES_OB3_KEYS_DIR (the folder of the Open Badges 3.0 signing keys, made
with `manage.py badge_keys new`).
Recommended: REDIS_URL
(shared cache: rate limits count across workers), TRUSTED_PROXY_COUNT (1
behind the README's proxy), EMAIL_HOST / EMAIL_PORT / EMAIL_HOST_USER /
EMAIL_HOST_PASSWORD, DEFAULT_FROM_EMAIL.
"""

import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
PORTAL_DEMO_ACCOUNTS = False
PORTAL_PRODUCTION = True


def _required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        message = f"{name} manquant : définissez la variable d'environnement {name}."
        # One line on stderr, then stop: a default here would be a security hole.
        sys.stderr.write(message + "\n")
        raise ImproperlyConfigured(message)
    return value


SECRET_KEY = _required("SECRET_KEY")
# The links in every e-mail (cancel, manage, badges, workflow) are built on it.
WAGTAILADMIN_BASE_URL = _required("WAGTAILADMIN_BASE_URL").rstrip("/")
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
# The folder of the Open Badges 3.0 signing keys, outside the database; the
# deployment check refuses a folder without a signing key (resources/checks.py).
BADGES_OB3_KEYS_DIR = Path(_required("BADGES_OB3_KEYS_DIR"))
BADGES_OB3_GENERATE_KEY = False
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip()
    for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if o.strip()
]

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
            "KEY_PREFIX": "portal",
        }
    }
else:
    # Rate limits must be shared by every worker: without Redis, a cache on
    # disk that all workers of the machine see (Redis is the supported setup).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", "/tmp/portal-cache"),  # noqa: S108
        }
    }

STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

PORTAL_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"

SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

LOGGING["root"]["level"] = "INFO"
