"""Admin viewsets of the rooms, their bookings and the events' financial
commitments (« Salles et dépenses » in the menu). Every view checks a
permission of the roles matrix; the rules are in `events.rooms` and
`events.finance`, the custom views in `events.admin_views.rooms` and
`events.admin_views.commitments`."""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, NumberFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.viewsets.pages import PageViewSet

from portal.admin import ModelViewSet

from ..admin_views import commitments
from ..admin_views import rooms as admin_views
from ..forms import BookingRequestForm, FinancialCommitmentForm
from ..models import Booking, EventPage, FinancialCommitment, Room, format_span
from ..models.pages import recurrence_panels

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


# -- Financial commitments -------------------------------------------------------------


def _year_choices():
    this_year = timezone.localdate().year
    return [(str(year), str(year)) for year in range(this_year + 1, this_year - 6, -1)]


class CommitmentFilterSet(WagtailFilterSet):
    year = ChoiceFilter(
        label=_("Année de l'événement"),
        choices=_year_choices,
        field_name="event__start__year",
    )
    event = NumberFilter(label=_("Événement (identifiant)"), field_name="event_id")

    class Meta:
        model = FinancialCommitment
        fields = ["year", "payer", "town_status", "clx_status", "event"]


class CommitmentViewSet(ModelViewSet):
    model = FinancialCommitment
    icon = "doc-full"
    menu_label = _("Engagements financiers")
    name = "commitments"
    url_prefix = "engagements"
    index_view_class = commitments.CommitmentIndexView
    add_view_class = commitments.CommitmentCreateView
    edit_view_class = commitments.CommitmentEditView
    inspect_view_class = commitments.CommitmentInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = CommitmentFilterSet
    search_fields = ["label", "event__title"]
    list_display = ["label", "event", "amount", "payer", "town_status", "clx_status"]
    list_export = [
        "event",
        "event.start",
        "label",
        "amount",
        "payer",
        "town_status",
        "clx_status",
        "created_at",
    ]
    export_headings = {
        "event": _("Événement"),
        "event.start": _("Date de l'événement"),
    }
    export_filename = "engagements-financiers"
    edit_handler = ObjectList(
        [
            FieldPanel("event"),
            FieldPanel("label"),
            FieldRowPanel([FieldPanel("amount"), FieldPanel("payer")]),
            FieldPanel("document"),
        ],
        base_form_class=FinancialCommitmentForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/decider/", commitments.commitment_decide, name="decide"),
            path(
                "<int:pk>/document/", commitments.commitment_document, name="document"
            ),
        ]


class EventPageViewSet(PageViewSet):
    """Wagtail's page views for events, but the workflow action: approving
    from the dashboard says why the money guard refuses, or that it is done
    (`commitments.EventWorkflowActionView`)."""

    model = EventPage
    name = "event_pages"
    workflow_action_view_class = commitments.EventWorkflowActionView


class RoomsViewSetGroup(ModelViewSetGroup):
    items = (RoomViewSet, BookingViewSet, CommitmentViewSet)
    menu_icon = "home"
    menu_label = _("Salles et dépenses")
    menu_name = "salles-et-depenses"
    menu_order = 220
