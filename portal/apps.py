from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portail")

    def ready(self):
        from . import pagecache, ratelimit

        user_login_failed.connect(
            ratelimit.count_login_failure, dispatch_uid="portal.ratelimit.login"
        )
        pagecache.connect_signals()
