"""Admin viewsets of the agenda's relays: its e-mail subscribers (personal
data, see `events.admin_views.relay`) and « Diffuser l'agenda »."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.base import ViewSet

from portal.admin import ModelViewSet

from ..admin_views import relay as admin_views
from ..models import AgendaSubscription


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


class ShareViewSet(ViewSet):
    """« Diffuser l'agenda », in the menu of every admin user."""

    name = "agenda_share"
    url_prefix = "agenda/diffuser"
    icon = "link"
    menu_label = _("Diffuser l'agenda")
    menu_order = 215
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [path("", admin_views.ShareView.as_view(), name="index")]
