"""Admin viewset of « Diffuser l'agenda » (view in `events.relay.admin_views`)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from events.relay import admin_views


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
