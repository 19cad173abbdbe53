"""Admin viewset of the agenda's e-mail subscribers (personal data: see
`events.subscriptions.admin_views`)."""

from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet

from events.models import AgendaSubscription
from events.subscriptions import admin_views
from portal.admin import ModelViewSet


class SubscriberFilterSet(WagtailFilterSet):
    confirmed = BooleanFilter(
        label=_("Confirmé"),
        field_name="confirmed_at",
        lookup_expr="isnull",
        exclude=True,
    )
    frequency = ChoiceFilter(
        label=_("Fréquence"),
        choices=AgendaSubscription.Frequency.choices,
    )

    class Meta:
        model = AgendaSubscription
        fields = []


class SubscriberViewSet(ModelViewSet):
    model = AgendaSubscription
    icon = "mail"
    menu_label = _("Abonnés à l'agenda")
    menu_order = 225
    url_prefix = "agenda/abonnes"
    name = "agenda_subscribers"
    add_to_admin_menu = True
    index_view_class = admin_views.SubscriberIndexView
    copy_view_enabled = False
    inspect_view_enabled = True
    exclude_form_fields = []
    list_display = ["email", "frequency", "confirmed_at", "created_at"]
    filterset_class = SubscriberFilterSet
    list_export = [
        "email",
        "frequency",
        "partners_label",
        "event_types_label",
        "confirmed_at",
        "created_at",
    ]
    export_headings = {
        "partners_label": _("Partenaires choisis"),
        "event_types_label": _("Types choisis"),
    }
    search_fields = ["email"]
    search_backend_name = None
    inspect_view_fields = [
        "email",
        "frequency",
        "partners",
        "event_types",
        "created_at",
        "confirmed_at",
    ]

    def get_urlpatterns(self):
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in ("add", "edit", "copy")
        ]

    def get_queryset(self, request):
        return AgendaSubscription.objects.prefetch_related("partners", "event_types")
