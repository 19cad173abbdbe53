from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from portal.admin import SnippetViewSet

from . import viewsets
from .models import Partner


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Partenaires")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "short_name", "city", "website"]
    search_fields = ["name", "short_name", "city"]
    inspect_view_enabled = True


register_snippet(PartnerViewSet)

# -- The town's membership of CLX (home.viewsets) ------------------------------

hooks.register("register_admin_viewset", viewsets.MembershipViewSet)


@hooks.register("construct_homepage_panels")
def add_membership_reminder(request, panels):
    panel = viewsets.membership_reminder(request.user)
    if panel is not None:
        panels.append(panel)
