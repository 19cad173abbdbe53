"""Admin viewsets of the registrations (audit data, read-only: see the
permission policies in `events/wagtail_hooks.py`): the occurrences with
registrations, the people registered, and one occurrence's own pages. Their
custom views are in `events.registrations.admin_views`."""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, ChoiceFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSetGroup

from events.models import Registration, RegistrationList
from events.registrations import admin_views
from portal.admin import ReadOnlyModelViewSet


class RegistrationListFilterSet(WagtailFilterSet):
    upcoming = BooleanFilter(label=_("À venir"), method="filter_upcoming")

    def filter_upcoming(self, queryset, name, value):
        if value is None:
            return queryset
        now = timezone.now()
        if value:
            return queryset.filter(occurrence_start__gte=now)
        return queryset.filter(occurrence_start__lt=now)

    class Meta:
        model = RegistrationList
        fields = ["event"]


class RegistrationListViewSet(ReadOnlyModelViewSet):
    removed_views = ("add", "edit", "copy", "delete")
    model = RegistrationList
    icon = "date"
    menu_label = _("Séances")
    url_prefix = "inscriptions/seances"
    name = "registration_lists"
    index_view_class = admin_views.RegistrationListIndexView
    list_display = [
        "__str__",
        admin_views.CountColumn("confirmed_seats", label=_("Places confirmées")),
        admin_views.CountColumn(
            "pending_seats", label=_("Places en attente de confirmation")
        ),
        Column("event.capacity", label=_("Capacité")),
        admin_views.CountColumn("waiting_count", label=_("Liste d'attente")),
        admin_views.CountColumn("cancelled_count", label=_("Annulées")),
        Column("closed_at", label=_("Fermées le")),
    ]
    filterset_class = RegistrationListFilterSet
    list_export = ["event", "occurrence_start", "closed_at"]
    search_fields = ["event__title"]
    ordering = ["-occurrence_start"]


class RegistrationFilterSet(WagtailFilterSet):
    registration_list = ModelChoiceFilter(
        label=_("Séance"),
        queryset=RegistrationList.objects.select_related("event").order_by(
            "-occurrence_start"
        ),
        method="filter_registration_list",
    )
    status = ChoiceFilter(label=_("Statut"), choices=Registration.Status.choices)

    def filter_registration_list(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            event_id=value.event_id, occurrence_start=value.occurrence_start
        )

    class Meta:
        model = Registration
        fields = ["registration_list", "status", "attended", "event"]


class RegistrationViewSet(ReadOnlyModelViewSet):
    model = Registration
    delete_view_class = admin_views.RegistrationDeleteView
    icon = "group"
    menu_label = _("Inscriptions")
    url_prefix = "inscriptions/personnes"
    name = "registrations"
    index_view_class = admin_views.RegistrationIndexView
    inspect_view_enabled = True
    list_display = [
        "name",
        "email",
        "event",
        "occurrence_start",
        "seats",
        "status",
        BooleanColumn("attended", label=_("Présent")),
    ]
    filterset_class = RegistrationFilterSet
    list_export = [
        "event",
        "occurrence_start",
        "name",
        "email",
        "phone",
        "seats",
        "status",
        "attended",
        "created_at",
    ]
    search_fields = ["name", "email"]
    search_backend_name = None
    inspect_view_fields = [
        "event",
        "occurrence_start",
        "name",
        "email",
        "phone",
        "seats",
        "status",
        "attended",
        "consent_at",
        "queued_at",
        "hold_expires_at",
        "confirmed_at",
        "promoted_at",
        "cancelled_at",
        "reminded_at",
        "created_at",
        "updated_at",
    ]


class RegistrationViewSetGroup(ModelViewSetGroup):
    items = (RegistrationListViewSet, RegistrationViewSet)
    menu_icon = "group"
    menu_label = _("Inscriptions")
    menu_name = "inscriptions"
    menu_order = 220


class RegistrationOccurrenceViewSet(ViewSet):
    """One occurrence's registrations: counts and exports (its index, with
    the columns below), attendance sheet, closing, serving the waiting
    list."""

    name = "registration_occurrence"
    url_prefix = "inscriptions/seance"
    index_view_class = admin_views.OccurrenceView
    list_export = [
        "name",
        "email",
        "phone",
        "seats",
        "get_status_display",
        "attended",
        "created_at",
    ]
    export_headings = {
        "name": _("Nom"),
        "email": _("E-mail"),
        "phone": _("Téléphone"),
        "seats": _("Places"),
        "get_status_display": _("Statut"),
        "attended": _("Présent"),
        "created_at": _("Inscrit le"),
    }

    def get_index_view(self, **kwargs):
        return self.construct_view(
            self.index_view_class,
            list_export=self.list_export,
            export_headings=self.export_headings,
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("<int:pk>/", self.get_index_view(), name="occurrence"),
            # The export buttons' addresses, kept since staff bookmark them.
            path(
                "<int:pk>/export.csv",
                self.get_index_view(default_export_format="csv"),
                name="export",
            ),
            path(
                "<int:pk>/export.xlsx",
                self.get_index_view(default_export_format="xlsx"),
                name="export_xlsx",
            ),
            path("<int:pk>/emargement/", admin_views.attendance_sheet, name="sheet"),
            path(
                "<int:pk>/liste-attente/",
                admin_views.serve_waiting_list,
                name="serve_waiting_list",
            ),
            path("<int:pk>/fermer/", admin_views.close_occurrence, name="close"),
        ]
