"""The admin home's panel of the financial commitments waiting for this
person's side (the town's authorisation or CLX's agreement)."""

from django.urls import reverse

from events.models import FinancialCommitment
from events.models.finance import format_euros
from portal.dashboard import OptionalPanel


class CommitmentsPanel(OptionalPanel):
    """Financial commitments waiting for this person's side: the town's
    authorisation (médiathèque) or CLX's agreement on a shared line."""

    name = "portal_commitments"
    template_name = "events/finance/admin/dashboard_panel.html"
    order = 126
    limit = 5

    def __init__(self, party):
        self.party = party

    def get_context_data(self, parent_context):
        field = "town_status" if self.party == "town" else "clx_status"
        pending = FinancialCommitment.objects.filter(
            **{field: FinancialCommitment.Agreement.PENDING}
        )
        rows = pending.select_related("event").order_by("created_at")
        return {
            "rows": [
                {
                    "line": line,
                    "amount": format_euros(line.amount),
                    "url": reverse("commitments:inspect", args=[line.pk]),
                }
                for line in rows[: self.limit]
            ],
            "count": pending.count(),
            "party": self.party,
            "listing_url": reverse("commitments:index"),
        }
