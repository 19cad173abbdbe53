"""Admin viewset of the events' financial commitments: the lines, their
decisions and documents (views in `events.finance.admin_views`), and
the page viewset whose workflow action says why the money guard refuses."""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, NumberFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.viewsets.pages import PageViewSet

from events.finance import admin_views as commitments
from events.finance.forms import FinancialCommitmentForm
from events.models import EventPage, FinancialCommitment
from portal.admin import ModelViewSet


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
