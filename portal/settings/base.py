"""Settings shared by every environment of the portal.

Environment-specific modules (dev, test, production) import this one and
override what differs. Anything secret or host-specific comes from the
environment.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "portal",
    "home",
    "events",
    "resources",
    "volunteers",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above sessions, CSRF and messages: they see every cookie those set, and
    # a page cache hit skips everything below.
    "portal.middleware.PageCacheMiddleware",
    "portal.middleware.CacheControlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # NUL and control characters in addresses, parameters and public forms:
    # a French 400 before any view (portal/inputguard.py).
    "portal.inputguard.HostileInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The public policy, or the admin's own (portal/csp.py).
    "portal.csp.PortalCSPMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    # Turns portal.ratelimit.RateLimited into the French 429 page.
    "portal.ratelimit.RateLimitMiddleware",
    # The page a path leads to, kept like rendered fragments (portal/fragments.py).
    "portal.middleware.RouteCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees the outcome of authentication attempts.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # An address with too many failed logins, whatever the usernames, is
    # refused first (password spraying; see portal.ratelimit).
    "portal.ratelimit.LoginAddressBackend",
    # django-axes first: it refuses a locked-out client before any check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # No Wagtail `settings` variable: it queried the database on
                # each render; templates use {% portal_settings %} (kept per
                # process, portal_tags).
                "csp.context_processors.nonce",
            ],
            # `{% load i18n %}` with literals translated once per language
            # (portal/templatetags/i18n_literals.py).
            "libraries": {"i18n": "portal.templatetags.i18n_literals"},
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# Every environment takes DATABASE_URL; without it, the embedded SQLite file.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # `make run`'s embedded database (PostgreSQL is the production one): a
    # transaction takes the write lock when it begins, so concurrent
    # registrations (and the task worker writing beside the web server) queue
    # up to `timeout` seconds instead of failing with « database is locked »,
    # and seats are still decided one at a time.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin sessions end after eight hours, or when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: five failed logins for one username from one address lock it
# for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# The visitor's real address, behind the proxies (portal/clientip.py).
AXES_CLIENT_IP_CALLABLE = "portal.clientip.axes_client_ip"

# How many reverse proxies in front of the application append to
# X-Forwarded-For. 0: the header is ignored (nobody picks their address).
# Behind the README's single HTTPS proxy: 1.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Rate limits of the public forms and search (portal/ratelimit.py holds the
# defaults; RATE_LIMITS = {"name": (hits, seconds)} overrides one of them).
# RATE_LIMITS_ENABLED=0 switches them off, RATE_LIMIT_FACTOR=100 raises them
# a hundredfold: for load tests only.
RATE_LIMITS_ENABLED = os.environ.get("RATE_LIMITS_ENABLED", "1") != "0"
RATE_LIMIT_FACTOR = float(os.environ.get("RATE_LIMIT_FACTOR", "1"))
RATE_LIMITS = {}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# The site's French date and time formats (portal/formats/fr/formats.py).
FORMAT_MODULE_PATH = ["portal.formats"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# Documents live outside MEDIA_ROOT, in PRIVATE_MEDIA_ROOT, and are served
# only by their view (resources/storage.py, resources/downloads.py): a web
# server may serve /media/ (images) without ever exposing one.
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media")
)

STORAGES = {
    "default": {"BACKEND": "resources.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Form bodies (files aside) above 2.5 MB get the French 400 page.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o644

DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL",
    "Atelier numérique de Wimille <atelier@mediatheque-wimille.fr>",
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Every message is queued (portal.mail) and delivered by the task worker
# (`manage.py db_worker`) through PORTAL_DELIVERY_EMAIL_BACKEND, with retries
# for PORTAL_MAIL_RETRY_HOURS before staff see it « en échec ».
EMAIL_BACKEND = "portal.mail.QueuedEmailBackend"
PORTAL_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
PORTAL_MAIL_RETRY_HOURS = int(os.environ.get("PORTAL_MAIL_RETRY_HOURS", "24"))
PORTAL_MAIL_RETENTION_DAYS = int(os.environ.get("PORTAL_MAIL_RETENTION_DAYS", "30"))
# A mail server that does not answer is a failed attempt, not a stuck worker.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))

# Open Badges 3.0: the issuer's Ed25519 signing keys are PEM files in this
# folder, outside the database and MEDIA_ROOT (resources/credentials/keys.py;
# rotation in the README). Where BADGES_OB3_GENERATE_KEY is true, a first key
# is made when the folder has none.
BADGES_OB3_KEYS_DIR = Path(
    os.environ.get("BADGES_OB3_KEYS_DIR", BASE_DIR / "var" / "ob3-keys")
)
BADGES_OB3_GENERATE_KEY = False
# The agenda's fediverse signing key (events.fediverse.keys): a file outside
# the database, made on first use or by `manage.py fediverse_key`.
FEDIVERSE_KEYS_DIR = Path(
    os.environ.get("FEDIVERSE_KEYS_DIR", BASE_DIR / "var" / "fediverse")
)

# `make backup` writes here; `restore` asks before replacing anything, and
# refuses without --yes when PORTAL_PRODUCTION.
PORTAL_BACKUP_ROOT = Path(os.environ.get("PORTAL_BACKUP_ROOT", BASE_DIR / "backups"))
PORTAL_PRODUCTION = False

# Background work (mail, Wagtail's own tasks) is stored in the database and
# run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /sante/ answers 503 when the oldest task due waits longer (no worker).
PORTAL_HEALTH_MAX_TASK_AGE = int(os.environ.get("PORTAL_HEALTH_MAX_TASK_AGE", "600"))

# Wagtail
WAGTAIL_SITE_NAME = "Atelier numérique citoyen de Wimille"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
# Nobody changes their own e-mail in « Mon compte »: an address is where
# password resets and the portal's mails go, and it must not be claimable by
# its holder without a check. Administration changes it in « Utilisateurs »
# (what a facilitator sees is a separate link, volunteers.VolunteerAccount).
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# No Gravatar: staff e-mail hashes would leave for a third party at every
# admin page, and the admin would load images from elsewhere.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No update check either: the dashboard would fetch releases.wagtail.org for
# superusers (updates come through the pinned dependencies, and the admin's
# CSP allows no other origin).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Pixels, not only bytes: a small PNG can unpack to gigabytes (decompression
# bomb). 40 megapixels is more than any photo the site needs.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Downloads that cannot hurt (rule and content types in resources/downloads.py):
# an allow-list checked on the whole content at upload (no SVG, HTML, XML or
# script), storage outside MEDIA_ROOT, and every file served as an attachment
# with nosniff and a sandboxing CSP, so nothing runs from our origin.
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "odt",
    "ods",
    "odp",
    "odg",
    "docx",
    "xlsx",
    "pptx",
    "txt",
    "csv",
    "zip",
    "stl",
    "3mf",
    "obj",
    "dxf",
    "gcode",
]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "resources.downloads.SafeDocumentForm"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # Used on PostgreSQL (French stemming and stop words); ignored on SQLite.
        "SEARCH_CONFIG": "french",
    }
}

WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 50
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

# Content-Security-Policy: the public pages load nothing from elsewhere and
# carry no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# The admins' own policy (portal/csp.py): the public one, relaxed only where
# Wagtail 8's admin does not work otherwise (measured in Chromium by
# tests/test_admin_csp_browser.py, which fails on any violation).
ADMIN_CONTENT_SECURITY_POLICY = {
    "URL_PREFIXES": ["/admin/", "/django-admin/"],
    # The public directives (script and style files from our origin only,
    # no plugin, no other site framing us or receiving our forms), plus:
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        # Inline <script> elements: Wagtail starts its widgets and panels with
        # them (`new ImageChooser(…)`, `initDateTimeChooser(…)`, `new
        # InlinePanel(…)`), also in the empty forms an InlinePanel copies
        # with a new index and in chooser modals, so neither a nonce nor a
        # hash can name them. Script files still come only from our origin,
        # never eval(), and…
        "script-src-elem": ["'self'", "'unsafe-inline'"],
        # …no event-handler attribute (onerror=, onclick=…) runs: Wagtail
        # uses none, and they are the usual shape of an injected script. The
        # one hash is the handler « return; » (does nothing), which the focal
        # point cropper (Jcrop) sets to detect touch screens.
        "script-src-attr": [
            "'unsafe-hashes'",
            "'sha256-i+qr4lq34KgNHiW62lWi9aInEBwiEOrfCzaNPCvkqD8='",
        ],
        # Style attributes stay refused (style-src 'self': Wagtail's markup
        # has none; its scripts style through the DOM, which CSP allows).
        # Draftail writes <style> elements for list depths and heading
        # counters, whose content depends on the text being edited.
        "style-src-elem": ["'self'", "'unsafe-inline'"],
        # blob: the thumbnails of images chosen for upload, before sending
        # (no data: images in the admin). connect-src stays 'self': Wagtail's
        # update check, which would fetch releases.wagtail.org, is off
        # (WAGTAIL_ENABLE_UPDATE_CHECK). frame-src 'self' is the preview panel.
        "img-src": ["'self'", "blob:"],
    },
}

# Wagtail's live preview shows the page in an iframe of the admin, so our own
# origin may frame us; any other origin may not (frame-ancestors above).
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = [
    "security.W019",
    # « 'i18n' is used for multiple template tag modules »: on purpose, see
    # TEMPLATES' "libraries"; tests/test_i18n_literals.py fails on any other
    # library name used twice.
    "templates.W003",
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Public pages may be cached by a shared cache for this long (seconds).
PUBLIC_CACHE_MAX_AGE = int(os.environ.get("PUBLIC_CACHE_MAX_AGE", "300"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal",
    }
}

# The visitors' page cache (portal/pagecache.py): PORTAL_PAGE_CACHE=off in the
# environment switches it off; entries live this many seconds at most.
PORTAL_PAGE_CACHE = os.environ.get("PORTAL_PAGE_CACHE", "on").strip().lower() not in (
    "off",
    "0",
    "false",
    "no",
)
PORTAL_PAGE_CACHE_ALIAS = "default"
# Rendered parts of public pages that are the same for every visitor (menu,
# footer, an event's content…), kept under the page cache's generation
# (portal/fragments.py); PORTAL_FRAGMENT_CACHE=off switches it off.
PORTAL_FRAGMENT_CACHE = os.environ.get(
    "PORTAL_FRAGMENT_CACHE", "on"
).strip().lower() not in ("off", "0", "false", "no")
PORTAL_PAGE_CACHE_TIMEOUT = int(os.environ.get("PORTAL_PAGE_CACHE_TIMEOUT", "60"))
# Models shown on pages that are neither pages, snippets nor settings: saving
# or deleting one purges the page cache (badges on verification pages, view
# restrictions, images…). Registrations and appointments purge only their
# event's pages and the listings (events/agenda/cached_pages.py).
PORTAL_PAGE_CACHE_PURGE_MODELS = [
    "resources.BadgeClass",
    "resources.BadgeAssertion",
    "resources.Competence",
    "volunteers.Skill",
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
    "wagtailcore.CollectionViewRestriction",
    "wagtailimages.Image",
    "wagtaildocs.Document",
]

# Badge requests: each one is mailed to staff while no more than this many
# arrived in the last hour; beyond, they wait for one digest, sent this many
# minutes after the first of the burst (resources/request_notices.py).
BADGE_REQUEST_MAILS_PER_HOUR = int(os.environ.get("BADGE_REQUEST_MAILS_PER_HOUR", "5"))
BADGE_REQUEST_DIGEST_DELAY_MINUTES = int(
    os.environ.get("BADGE_REQUEST_DIGEST_DELAY_MINUTES", "30")
)

# Personal data of an event occurrence is purged this many days after it.
REGISTRATION_RETENTION_DAYS = int(os.environ.get("REGISTRATION_RETENTION_DAYS", "30"))
# A registration made on the public form holds its seats this many minutes,
# until its address confirms through the link of the mail (events.registrations.rules).
REGISTRATION_HOLD_MINUTES = int(os.environ.get("REGISTRATION_HOLD_MINUTES", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

PORTAL_NAME = _("Atelier numérique citoyen de Wimille")
