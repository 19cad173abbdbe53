"""Admin of the town's yearly membership of CLX: a listing for médiathèque
staff (`home.view_membership`), and the dashboard reminder in January when
the year's subscription is not recorded."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from portal.admin import ModelViewSet

from .models import Membership, Partner

MEMBERSHIP_PERMISSION = "home.view_membership"
# The town pays its subscription at the start of the year.
REMINDER_MONTHS = (1,)


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "tasks"
    menu_label = _("Adhésion de la ville à CLX")
    name = "memberships"
    url_prefix = "adhesions"
    add_to_admin_menu = True
    menu_order = 230
    list_display = ["partner", "year", "amount", "paid_on", "notes"]
    list_filter = ["partner", "year"]
    list_export = ["partner", "year", "amount", "paid_on", "notes"]
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["partner", "year", "amount", "paid_on", "notes"]


class MembershipReminderPanel(Component):
    """« L'adhésion 2027 de la ville à CLX n'est pas enregistrée », shown in
    January to people who see memberships, until it is recorded."""

    name = "home_membership_reminder"
    template_name = "home/admin/membership_reminder.html"
    order = 90

    def __init__(self, year, partner):
        self.year = year
        self.partner = partner

    def get_context_data(self, parent_context):
        return {
            "year": self.year,
            "partner": self.partner,
            "add_url": reverse("memberships:add"),
        }


def membership_reminder(user, today=None):
    """The reminder panel, or None when there is nothing to remind."""
    today = today or timezone.localdate()
    if today.month not in REMINDER_MONTHS or not user.has_perm(MEMBERSHIP_PERMISSION):
        return None
    partner = Partner.objects.filter(slug="clx").first()
    if partner is None or partner.memberships.filter(year=today.year).exists():
        return None
    return MembershipReminderPanel(today.year, partner)
