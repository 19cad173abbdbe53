"""Admin viewsets of the appointments « sur rendez-vous »: the day's
appointments and their day sheets (« Rendez-vous » in the menu, for who may
open them), and the anonymous yearly report with its exports. Their views
are in `events.appointments.admin_views`."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from events.appointments import admin_views


class AppointmentViewSet(ViewSet):
    name = "appointments"
    url_prefix = "rendez-vous"
    icon = "date"
    menu_label = _("Rendez-vous")
    menu_order = 225
    menu_item_class = admin_views.AppointmentsMenuItem
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", admin_views.DayView.as_view(), name="day"),
            path(
                "seance/<int:event_pk>/<str:key>/",
                admin_views.day_sheet,
                name="sheet",
            ),
            path("<int:pk>/annuler/", admin_views.cancel_appointment, name="cancel"),
            path("<int:pk>/effacer/", admin_views.erase_appointment, name="erase"),
        ]


class AppointmentReportViewSet(ViewSet):
    """The yearly report (`?annee=`), with no personal data: its index shows
    the counts and exports them as CSV or XLSX."""

    name = "appointment_report"
    url_prefix = "rendez-vous/bilan"
    index_view_class = admin_views.ReportView
    list_export = ["section", "label", "count"]
    export_headings = {
        "section": _("Rubrique"),
        "label": _("Valeur"),
        "count": _("Nombre"),
    }

    def get_urlpatterns(self):
        return [
            path(
                "",
                self.construct_view(
                    self.index_view_class,
                    list_export=self.list_export,
                    export_headings=self.export_headings,
                ),
                name="index",
            )
        ]
