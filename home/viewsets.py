"""Admin of the town's yearly membership of CLX: a listing for médiathèque
staff, who record it (`home.add_membership`), and read-only for CLX –
Coordination (`home.view_membership`). On the dashboard, from January, staff
are reminded until the year's subscription is paid (recorded with its
« Payée le » date), and CLX – Coordination sees whether it is paid."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from portal.admin import ModelViewSet

from .models import Membership, Partner

MEMBERSHIP_PERMISSION = "home.view_membership"
RECORD_MEMBERSHIP_PERMISSION = "home.add_membership"


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
    """« L'adhésion 2027 de la ville à CLX n'est pas encore enregistrée » (or
    « … n'est pas encore payée »), for staff who record it, until it is paid;
    for CLX – Coordination, whether it is paid (read-only)."""

    name = "home_membership_reminder"
    template_name = "home/admin/membership_reminder.html"
    order = 90

    def __init__(self, year, partner, membership, records):
        self.year = year
        self.partner = partner
        self.membership = membership
        self.records = records

    def get_context_data(self, parent_context):
        membership = self.membership
        if not self.records:
            url = ""
        elif membership is None:
            url = reverse("memberships:add")
        else:
            url = reverse("memberships:edit", args=(membership.pk,))
        return {
            "year": self.year,
            "partner": self.partner,
            "membership": membership,
            "paid": membership is not None and membership.paid_on is not None,
            "records": self.records,
            "url": url,
        }


def membership_reminder(user, today=None):
    """The reminder (or status) panel, or None when there is nothing to say."""
    today = today or timezone.localdate()
    if not user.has_perm(MEMBERSHIP_PERMISSION):
        return None
    partner = Partner.objects.filter(slug="clx").first()
    if partner is None:
        return None
    membership = partner.memberships.filter(year=today.year).first()
    records = user.has_perm(RECORD_MEMBERSHIP_PERMISSION)
    paid = membership is not None and membership.paid_on is not None
    if records and paid:
        return None
    return MembershipReminderPanel(today.year, partner, membership, records)
