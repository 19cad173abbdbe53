"""Admin viewsets of the agenda: venues and event types (snippets),
registrations and their occurrences, the rooms, their bookings and the events'
financial commitments (« Salles et dépenses » in the menu). Every view checks a
permission of the roles matrix; the rules are in `events.rooms` and
`events.finance`."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, ChoiceFilter, ModelChoiceFilter, NumberFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets import Button
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from portal.admin import IndexView, ModelViewSet, ReadOnlyModelViewSet, SnippetViewSet

from . import admin_views
from .forms import BookingRequestForm, FinancialCommitmentForm
from .models import (
    Booking,
    EventType,
    FinancialCommitment,
    Registration,
    RegistrationList,
    Room,
    Venue,
    format_span,
)

# -- Rooms -----------------------------------------------------------------------------


class RoomIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return [
            Button(
                _("Voir le mois"),
                url=reverse("rooms:this_month", args=(instance.pk,)),
                icon_name="date",
                priority=5,
            ),
            *super().get_list_more_buttons(instance),
        ]


class RoomViewSet(ModelViewSet):
    model = Room
    icon = "home"
    menu_label = _("Salles")
    name = "rooms"
    url_prefix = "salles"
    index_view_class = RoomIndexView
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


class BookingIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("room", "requested_by")

    def get_edit_url(self, instance):
        # Nobody edits a booking by hand: its title opens the request, where
        # the médiathèque decides.
        return reverse("room_bookings:inspect", args=(instance.pk,))


class BookingViewSet(ModelViewSet):
    model = Booking
    icon = "calendar-check"
    menu_label = _("Demandes de salle")
    name = "room_bookings"
    url_prefix = "salles/demandes"
    add_view_class = admin_views.BookingCreateView
    index_view_class = BookingIndexView
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
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                    FieldPanel("recurrence"),
                    FieldRowPanel(
                        [FieldPanel("recurrence_until"), FieldPanel("recurrence_count")]
                    ),
                    FieldPanel("recurrence_rule"),
                ],
                heading=_("Date ou série"),
            ),
            FieldRowPanel([FieldPanel("setup_minutes"), FieldPanel("tidy_minutes")]),
            FieldPanel("expected_attendance"),
        ],
        base_form_class=BookingRequestForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/decider/", admin_views.booking_decide, name="decide"),
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
    index_view_class = admin_views.CommitmentIndexView
    add_view_class = admin_views.CommitmentCreateView
    edit_view_class = admin_views.CommitmentEditView
    inspect_view_class = admin_views.CommitmentInspectView
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
            path("<int:pk>/decider/", admin_views.commitment_decide, name="decide"),
            path(
                "<int:pk>/document/", admin_views.commitment_document, name="document"
            ),
        ]


class RoomsViewSetGroup(ModelViewSetGroup):
    items = (RoomViewSet, BookingViewSet, CommitmentViewSet)
    menu_icon = "home"
    menu_label = _("Salles et dépenses")
    menu_name = "salles-et-depenses"
    menu_order = 220


# -- Venues and event types (snippets) --------------------------------------------


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    menu_label = _("Lieux")
    list_display = ["name", "city", "step_free_access", "hearing_loop"]
    list_filter = ["city", "step_free_access", "adapted_toilets", "hearing_loop"]
    list_export = [
        "name",
        "address",
        "postal_code",
        "city",
        "step_free_access",
        "adapted_toilets",
        "hearing_loop",
    ]
    search_fields = ["name", "city", "address"]
    inspect_view_enabled = True


class EventTypeViewSet(SnippetViewSet):
    model = EventType
    icon = "tag"
    menu_label = _("Types d'événement")
    list_display = ["name", "slug", "sort_order"]
    list_export = ["name", "slug", "sort_order"]
    search_fields = ["name", "slug"]
    inspect_view_enabled = True


class AgendaViewSetGroup(SnippetViewSetGroup):
    items = (VenueViewSet, EventTypeViewSet)
    menu_icon = "date"
    menu_label = _("Agenda")
    menu_name = "agenda"
    menu_order = 210


# -- Registrations ----------------------------------------------------------------


class RegistrationListFilterSet(WagtailFilterSet):
    upcoming = BooleanFilter(label=_("À venir"), method="filter_upcoming")

    def filter_upcoming(self, queryset, name, value):
        if value is None:
            return queryset
        now = timezone.now()
        if value:
            return queryset.filter(occurrence_start__gte=now)
        return queryset.filter(occurrence_start__lt=now)

    class Meta:
        model = RegistrationList
        fields = ["event"]


class RegistrationListViewSet(ReadOnlyModelViewSet):
    removed_views = ("add", "edit", "copy", "delete")
    model = RegistrationList
    icon = "date"
    menu_label = _("Séances")
    url_prefix = "inscriptions/seances"
    name = "registration_lists"
    index_view_class = admin_views.RegistrationListIndexView
    list_display = [
        "__str__",
        admin_views.CountColumn("confirmed_seats", label=_("Places confirmées")),
        Column("event.capacity", label=_("Capacité")),
        admin_views.CountColumn("waiting_count", label=_("Liste d'attente")),
        admin_views.CountColumn("cancelled_count", label=_("Annulées")),
        Column("closed_at", label=_("Fermées le")),
    ]
    filterset_class = RegistrationListFilterSet
    list_export = ["event", "occurrence_start", "closed_at"]
    search_fields = ["event__title"]
    ordering = ["-occurrence_start"]


class RegistrationFilterSet(WagtailFilterSet):
    registration_list = ModelChoiceFilter(
        label=_("Séance"),
        queryset=RegistrationList.objects.select_related("event").order_by(
            "-occurrence_start"
        ),
        method="filter_registration_list",
    )
    status = ChoiceFilter(label=_("Statut"), choices=Registration.Status.choices)

    def filter_registration_list(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            event_id=value.event_id, occurrence_start=value.occurrence_start
        )

    class Meta:
        model = Registration
        fields = ["registration_list", "status", "attended", "event"]


class RegistrationViewSet(ReadOnlyModelViewSet):
    model = Registration
    delete_view_class = admin_views.RegistrationDeleteView
    icon = "group"
    menu_label = _("Inscriptions")
    url_prefix = "inscriptions/personnes"
    name = "registrations"
    index_view_class = admin_views.RegistrationIndexView
    inspect_view_enabled = True
    list_display = [
        "name",
        "email",
        "event",
        "occurrence_start",
        "seats",
        "status",
        BooleanColumn("attended", label=_("Présent")),
    ]
    filterset_class = RegistrationFilterSet
    list_export = [
        "event",
        "occurrence_start",
        "name",
        "email",
        "phone",
        "seats",
        "status",
        "attended",
        "created_at",
    ]
    search_fields = ["name", "email"]
    search_backend_name = None
    inspect_view_fields = [
        "event",
        "occurrence_start",
        "name",
        "email",
        "phone",
        "seats",
        "status",
        "attended",
        "consent_at",
        "queued_at",
        "confirmed_at",
        "promoted_at",
        "cancelled_at",
        "reminded_at",
        "created_at",
        "updated_at",
    ]


class RegistrationViewSetGroup(ModelViewSetGroup):
    items = (RegistrationListViewSet, RegistrationViewSet)
    menu_icon = "group"
    menu_label = _("Inscriptions")
    menu_name = "inscriptions"
    menu_order = 220


class RegistrationOccurrenceViewSet(ViewSet):
    """One occurrence's registrations: counts, CSV, attendance sheet, closing,
    serving the waiting list (views in `admin_views.py`)."""

    name = "registration_occurrence"
    url_prefix = "inscriptions/seance"

    def get_urlpatterns(self):
        return [
            path("<int:pk>/", admin_views.OccurrenceView.as_view(), name="occurrence"),
            path("<int:pk>/export.csv", admin_views.export_csv, name="export"),
            path("<int:pk>/emargement/", admin_views.attendance_sheet, name="sheet"),
            path(
                "<int:pk>/liste-attente/",
                admin_views.serve_waiting_list,
                name="serve_waiting_list",
            ),
            path("<int:pk>/fermer/", admin_views.close_occurrence, name="close"),
        ]
