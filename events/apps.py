from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Agenda")

    def ready(self):
        # Receivers are connected once the models are loaded.
        from . import emails, occurrences, signals

        occurrences.connect_signals()
        signals.registration_notice.connect(
            emails.on_registration_notice, dispatch_uid="events-registration-mail"
        )
