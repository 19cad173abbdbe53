"""The admin home's panel of badge requests waiting for a decision (shown to
those who award badges)."""

from django.urls import NoReverseMatch, reverse

from portal.dashboard import OptionalPanel
from resources.models import BadgeRequest


class BadgeRequestsPanel(OptionalPanel):
    """Badge requests waiting for a decision, the oldest first."""

    name = "portal_badge_requests"
    template_name = "resources/badges/admin/dashboard_panel.html"
    order = 120
    limit = 5

    def get_context_data(self, parent_context):
        pending = BadgeRequest.objects.filter(status=BadgeRequest.Status.PENDING)
        rows = pending.select_related("badge_class").order_by("created_at")
        return {
            "rows": list(rows[: self.limit]),
            "count": pending.count(),
            "listing_url": _listing_url(),
        }


def _listing_url():
    try:
        return reverse("badge_requests:index") + "?status=en_attente"
    except NoReverseMatch:
        return ""
