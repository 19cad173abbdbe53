"""Settings for the test suite: fast hashing, local-memory cache and mail,
tasks run immediately. DATABASE_URL picks PostgreSQL when set."""

import os

from .base import *

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Queued like everywhere else (tests/conftest.py puts it back after Django's
# test set-up swaps in locmem); delivered into mail.outbox.
EMAIL_BACKEND = "portal.mail.QueuedEmailBackend"
PORTAL_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PORTAL_DEMO_ACCOUNTS = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / "tmp" / "test-media"
# One key folder per test process, a key made on first use.
BADGES_OB3_KEYS_DIR = (
    BASE_DIR / "tmp" / f"ob3-keys-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
)
BADGES_OB3_GENERATE_KEY = True
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
AXES_ENABLED = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The page cache is switched on by the tests that are about it
# (tests/test_page_cache.py); elsewhere a test sees every change at once.
PORTAL_PAGE_CACHE = False
# Tests measure the render itself (and its query budgets); the fragment
# cache's own tests switch it on.
PORTAL_FRAGMENT_CACHE = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The test database is thrown away: a commit need not wait for the disk.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c synchronous_commit=off"
    )
# Every query portal.prepared runs from its compiled SQL is also compiled
# again by the ORM with the same values, and must come out the same.
PREPARED_QUERY_CHECK = True
