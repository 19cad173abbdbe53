from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Agenda")

    def ready(self):
        from . import cache, occurrences

        cache.connect_signals()
        occurrences.connect_signals()
