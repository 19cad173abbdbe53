"""Relaying the agenda, in the Wagtail admin.

Agenda subscribers are personal data: only médiathèque staff see them
(`events.view_agendasubscription`: the list and its counts), export them
(`events.export_agendasubscription`, formulas neutralised) or erase one
(`events.delete_agendasubscription`); nobody adds or edits one by hand, the
public does it through the double opt-in. « Diffuser l'agenda » shows every
admin user the same addresses and iframe code as the public page.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_filters import BooleanFilter, ChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.admin import IndexView, ModelViewSet

from . import sharing
from .models import AgendaSubscription
from .subscription_emails import site_root

EXPORT = "events.export_agendasubscription"


class SubscriberPolicy(ModelPermissionPolicy):
    """Django's model permissions, minus adding and editing by hand."""

    denied = ("add", "change")

    def user_has_permission(self, user, action):
        if action in self.denied:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(
            [a for a in actions if a not in self.denied]
        )


register_permission_policy(AgendaSubscription, SubscriberPolicy(AgendaSubscription))


class SubscriberFilterSet(WagtailFilterSet):
    confirmed = BooleanFilter(
        label=gettext_lazy("Confirmé"),
        field_name="confirmed_at",
        lookup_expr="isnull",
        exclude=True,
    )
    frequency = ChoiceFilter(
        label=gettext_lazy("Fréquence"),
        choices=AgendaSubscription.Frequency.choices,
    )

    class Meta:
        model = AgendaSubscription
        fields = []


class SubscriberIndexView(IndexView):
    any_permission_required = ["view"]

    def dispatch(self, request, *args, **kwargs):
        if self.is_export and not request.user.has_perm(EXPORT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def show_export_buttons(self):
        return self.request.user.has_perm(EXPORT)

    def get_page_subtitle(self):
        subscriptions = AgendaSubscription.objects
        return _(
            "%(confirmed)d confirmé(s), %(pending)d en attente de confirmation"
        ) % {
            "confirmed": subscriptions.confirmed().count(),
            "pending": subscriptions.pending().count(),
        }


class SubscriberViewSet(ModelViewSet):
    model = AgendaSubscription
    icon = "mail"
    menu_label = gettext_lazy("Abonnés à l'agenda")
    menu_order = 225
    url_prefix = "agenda/abonnes"
    name = "agenda_subscribers"
    add_to_admin_menu = True
    index_view_class = SubscriberIndexView
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
        "partners_label": gettext_lazy("Partenaires choisis"),
        "event_types_label": gettext_lazy("Types choisis"),
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


class ShareView(WagtailAdminTemplateMixin, TemplateView):
    """The public page's snippets, for staff who relay the agenda."""

    template_name = "events/admin/share.html"
    page_title = gettext_lazy("Diffuser l'agenda")
    header_icon = "link"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = sharing.snippets(site_root())
        context["origins"] = sharing.partner_origins()
        context["public_url"] = reverse("events:share")
        return context


@hooks.register("register_admin_viewset")
def register_subscriber_viewset():
    return SubscriberViewSet()


@hooks.register("register_admin_urls")
def register_share_url():
    return [path("agenda/diffuser/", ShareView.as_view(), name="events_share")]


@hooks.register("register_admin_menu_item")
def register_relay_menu_items():
    return MenuItem(
        _("Diffuser l'agenda"), reverse("events_share"), icon_name="link", order=215
    )
