"""Admin viewsets of the resources app: competences and badge classes
(snippets), learners' badge requests and awarded badges (read-only audit data,
see `wagtail_hooks.py` for their permission policy), the awarding tools, and
the Fab Lab's machines. Their custom views live in `admin_views.py`."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from portal.admin import ModelViewSet, SnippetViewSet

from .admin_views import (
    ApproveView,
    AttendeesView,
    AwardOneView,
    BadgeAssertionIndexView,
    BadgeAssertionInspectView,
    BadgeRequestIndexView,
    BadgeRequestInspectView,
    CsvImportView,
    DeclineView,
    EraseView,
    RevokeView,
)
from .models import BadgeAssertion, BadgeClass, BadgeRequest, Competence, Machine
from .permissions import can_award

# --- Snippets: competences and badge classes --------------------------------


class CompetenceViewSet(SnippetViewSet):
    model = Competence
    icon = "list-ul"
    menu_label = gettext_lazy("Compétences")
    list_display = ["code", "name", "framework"]
    list_filter = ["framework"]
    list_export = ["framework", "code", "name", "url"]
    search_fields = ["name", "code"]
    inspect_view_enabled = True


class BadgeClassViewSet(SnippetViewSet):
    model = BadgeClass
    icon = "tick-inverse"
    menu_label = gettext_lazy("Badges")
    list_display = ["name", "slug", "validity_months", "created_at"]
    list_filter = ["competences"]
    list_export = ["name", "slug", "description", "validity_months", "created_at"]
    search_fields = ["name", "description"]
    inspect_view_enabled = True


# --- Requests and awarded badges ----------------------------------------------


class BadgeRequestViewSet(ModelViewSet):
    model = BadgeRequest
    icon = "mail"
    menu_label = gettext_lazy("Demandes de badge")
    name = "badge_requests"
    url_prefix = "badges/demandes"
    form_fields = ["decision_message"]
    list_display = ["name", "badge_class", "status", "created_at"]
    list_filter = ["status", "badge_class"]
    list_export = ["name", "email", "badge_class", "status", "created_at", "decided_at"]
    search_fields = ["name", "email"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "badge_class",
        "learning_path",
        "name",
        "email",
        "evidence_text",
        "evidence_url",
        "consent",
        "show_name",
        "status",
        "decision_message",
        "decided_by",
        "decided_at",
        "created_at",
        "staff_notified_at",
    ]
    inspect_view_class = BadgeRequestInspectView
    index_view_class = BadgeRequestIndexView


class BadgeAssertionViewSet(ModelViewSet):
    model = BadgeAssertion
    icon = "tick-inverse"
    menu_label = gettext_lazy("Badges décernés")
    name = "badge_assertions"
    url_prefix = "badges/decernes"
    form_fields = ["revocation_reason"]
    list_display = [
        "badge_class",
        "recipient_name",
        "issued_on",
        "source",
        Column("status_label", label=gettext_lazy("État")),
    ]
    list_filter = ["badge_class", "revoked", "source"]
    list_export = [
        "uid",
        "badge_class",
        "recipient_name",
        "recipient_email",
        "issued_on",
        "expires",
        "source",
        "revoked",
        "revocation_reason",
    ]
    search_fields = ["recipient_name", "recipient_email", "uid"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "uid",
        "badge_class",
        "recipient_name",
        "recipient_email",
        "show_name",
        "identity_hash",
        "issued_on",
        "expires",
        "evidence_narrative",
        "evidence_url",
        "source",
        "awarded_by",
        "revoked",
        "revocation_reason",
        "revoked_on",
        "erased_on",
    ]
    index_view_class = BadgeAssertionIndexView
    inspect_view_class = BadgeAssertionInspectView


# --- Awarding tools -----------------------------------------------------------


class AwardingViewSet(ViewSet):
    """The awarding tools, in the « Badges » menu for award_badge holders."""

    name = "badge_awarding"
    url_prefix = "badges/decerner"
    icon = "plus"
    menu_label = gettext_lazy("Décerner un badge")
    menu_url = reverse_lazy("badge_awarding:award")

    def get_urlpatterns(self):
        return [
            path("", AwardOneView.as_view(), name="award"),
            path("csv/", CsvImportView.as_view(), name="import_csv"),
            path("presents/", AttendeesView.as_view(), name="attendees"),
            path("effacer/", EraseView.as_view(), name="erase"),
            path("demandes/<int:pk>/approuver/", ApproveView.as_view(), name="approve"),
            path("demandes/<int:pk>/refuser/", DeclineView.as_view(), name="decline"),
            path("decernes/<int:pk>/revoquer/", RevokeView.as_view(), name="revoke"),
        ]

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        item.is_shown = lambda request: can_award(request.user)
        return item


class BadgesGroup(ViewSetGroup):
    menu_label = gettext_lazy("Parcours et badges")
    menu_icon = "tick-inverse"
    menu_order = 250
    items = (
        CompetenceViewSet,
        BadgeClassViewSet,
        BadgeRequestViewSet,
        BadgeAssertionViewSet,
        AwardingViewSet,
    )


# --- Guides: the Fab Lab's machines ---------------------------------------------


class MachineViewSet(SnippetViewSet):
    model = Machine
    icon = "cogs"
    menu_label = gettext_lazy("Machines du Fab Lab")
    menu_order = 310
    add_to_admin_menu = False
    list_display = ["name", "kind", "model_name", "location", "training_required"]
    list_filter = ["kind", "location", "training_required"]
    list_export = [
        "name",
        "slug",
        "kind",
        "model_name",
        "location",
        "training_required",
        "training_text",
        "training_url",
    ]
    export_filename = "machines-fab-lab"
    search_fields = ["name", "model_name", "location"]
    inspect_view_enabled = True
    ordering = ["name"]
