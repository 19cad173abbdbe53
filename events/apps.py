from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Agenda")

    def ready(self):
        # Receivers are connected once the models are loaded.
        from django.db.models.signals import post_migrate, pre_save
        from wagtail.models import Revision

        from events import signals
        from events.agenda import attendance, cached_pages, occurrences
        from events.appointments import rules as appointments
        from events.fediverse import delivery as fediverse_delivery
        from events.fediverse import wagtail_hooks as fediverse_admin  # noqa: F401
        from events.finance import rules as finance
        from events.models import EventPage
        from events.rooms import rules as rooms

        occurrences.connect_signals()
        # A registration or an appointment purges only the pages showing
        # its event's seats (events.agenda.cached_pages).
        cached_pages.connect_signals()
        # Derived rows a new migration could not compute (calendar text).
        post_migrate.connect(
            lambda **kwargs: occurrences.write_missing_calendar_entries(),
            sender=self,
            weak=False,
            dispatch_uid="events-missing-calendar-entries",
        )
        appointments.connect_signals()
        attendance.connect_signals()
        # Events sent to fediverse followers (events.fediverse.delivery).
        fediverse_delivery.connect_signals()
        # An event placed in a room needs the room free on every date.
        signals.validate_event.connect(
            lambda sender, event, **kwargs: (
                rooms.placement_errors(event) if event.room_id else {}
            ),
            sender=EventPage,
            weak=False,
            dispatch_uid="events-room-free",
        )
        # No publication route may make an event live while a financial
        # commitment waits for an agreement (see events.finance.rules).
        pre_save.connect(finance.guard_page, sender=EventPage, dispatch_uid="finance")
        pre_save.connect(
            finance.guard_revision, sender=Revision, dispatch_uid="finance"
        )
