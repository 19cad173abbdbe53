"""Admin viewsets of the rooms, their bookings and the events' financial
commitments (« Salles et dépenses » in the menu). Every view checks a
permission of the roles matrix; the rules are in `events.rooms.rules` and
`events.finance.rules`, the custom views in `events.rooms.admin_views` and
`events.finance.admin_views`."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column

from events.models import Booking, Room, format_span
from events.models.pages import recurrence_panels
from events.rooms import admin_views
from events.rooms.forms import BookingRequestForm
from portal.admin import ModelViewSet

# -- Rooms -----------------------------------------------------------------------------


class RoomViewSet(ModelViewSet):
    model = Room
    icon = "home"
    menu_label = _("Salles")
    name = "rooms"
    url_prefix = "salles"
    index_view_class = admin_views.RoomIndexView
    list_display = ["name", "venue", "capacity"]
    list_filter = ["venue"]
    search_fields = ["name", "venue__name"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/mois/", admin_views.room_this_month, name="this_month"),
            path(
                "<int:pk>/mois/<int:year>/<int:month>/",
                admin_views.RoomMonthView.as_view(),
                name="month",
            ),
        ]


# -- Bookings --------------------------------------------------------------------------


class BookingFilterSet(WagtailFilterSet):
    status = ChoiceFilter(label=_("État"), choices=Booking.Status.choices)

    class Meta:
        model = Booking
        fields = ["status", "room"]


def booking_when(booking):
    text = format_span(booking.start, booking.end)
    if booking.recurrence:
        text += f" ({booking.recurrence_description})"
    return text


class BookingViewSet(ModelViewSet):
    model = Booking
    icon = "calendar-check"
    menu_label = _("Demandes de salle")
    name = "room_bookings"
    url_prefix = "salles/demandes"
    add_view_class = admin_views.BookingCreateView
    index_view_class = admin_views.BookingIndexView
    inspect_view_class = admin_views.BookingInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = BookingFilterSet
    search_fields = ["purpose", "details"]
    list_display = [
        "purpose",
        "room",
        Column("when", label=_("Quand"), accessor=booking_when),
        "status",
        "requested_by",
    ]
    list_export = [
        "purpose",
        "room",
        "start",
        "end",
        "recurrence_rule",
        "setup_minutes",
        "tidy_minutes",
        "expected_attendance",
        "status",
        "decision_comment",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("room"),
            FieldPanel("purpose"),
            FieldPanel("details"),
            MultiFieldPanel(recurrence_panels(), heading=_("Date ou série")),
            FieldRowPanel([FieldPanel("setup_minutes"), FieldPanel("tidy_minutes")]),
            FieldPanel("expected_attendance"),
        ],
        base_form_class=BookingRequestForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/decider/", admin_views.booking_decide, name="decide"),
            path("<int:pk>/retirer/", admin_views.booking_withdraw, name="withdraw"),
            path("<int:pk>/annuler/", admin_views.booking_cancel, name="cancel"),
            path(
                "<int:pk>/evenement/",
                admin_views.booking_draft_event,
                name="draft_event",
            ),
        ]
