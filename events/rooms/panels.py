"""The admin home's panel of CLX's room requests waiting for the
médiathèque's answer (shown to those who decide bookings)."""

from django.urls import reverse

from events.models import Booking
from events.models.rooms import format_span
from portal.dashboard import OptionalPanel


class BookingRequestsPanel(OptionalPanel):
    """Room requests from CLX waiting for the médiathèque's answer."""

    name = "portal_booking_requests"
    template_name = "events/rooms/admin/dashboard_panel.html"
    order = 125
    limit = 5

    def get_context_data(self, parent_context):
        pending = Booking.objects.pending()
        rows = pending.select_related("room__venue", "requested_by").order_by(
            "requested_at"
        )
        return {
            "rows": [
                {
                    "booking": booking,
                    "when": format_span(booking.start, booking.end),
                    "url": reverse("room_bookings:inspect", args=[booking.pk]),
                }
                for booking in rows[: self.limit]
            ],
            "count": pending.count(),
            "listing_url": reverse("room_bookings:index"),
        }
