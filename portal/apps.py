from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from .converters import UnicodeSlugConverter


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portail")

    def ready(self):
        from . import pagecache, ratelimit

        # Before any URLconf is read: the apps' routes use <unicode_slug:…>.
        register_converter(UnicodeSlugConverter, "unicode_slug")

        user_login_failed.connect(
            ratelimit.count_login_failure, dispatch_uid="portal.ratelimit.login"
        )
        pagecache.connect_signals()
