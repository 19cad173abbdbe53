"""Admin viewsets of the volunteer directory: volunteers, charter versions
and signatures, grouped under « Bénévoles ». Their custom views live in
`admin_views.py`."""

import django_filters
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import (
    BooleanColumn,
    Column,
    LiveStatusTagColumn,
    UpdatedAtColumn,
)
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from portal.admin import SnippetViewSet

from . import admin_views, charter
from .models import (
    CharterSignature,
    CharterVersion,
    Skill,
    Volunteer,
    VolunteerAccount,
)


class VolunteerFilterSet(WagtailFilterSet):
    skill = django_filters.ModelChoiceFilter(
        label=_("Compétence"),
        field_name="skill_items__tag",
        queryset=Skill.objects.order_by("name"),
        distinct=True,
    )
    charter_status = django_filters.ChoiceFilter(
        label=_("Charte"),
        choices=charter.STATUS_CHOICES,
        method="filter_charter_status",
    )
    active = django_filters.BooleanFilter(label=_("Actif"))

    class Meta:
        model = Volunteer
        fields = []

    def filter_charter_status(self, queryset, name, value):
        return queryset.filter(charter_status=value)


class VolunteerViewSet(SnippetViewSet):
    model = Volunteer
    icon = "group"
    menu_label = _("Bénévoles")
    menu_order = 100
    add_to_admin_menu = False
    index_view_class = admin_views.VolunteerIndexView
    edit_view_class = admin_views.VolunteerEditView
    inspect_view_class = admin_views.VolunteerInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "display_name",
        "photo",
        "bio",
        "languages",
        "availability",
        "partner",
        "active",
        "first_name",
        "last_name",
        "membership_status",
        "email",
        "phone",
        "show_photo",
        "show_bio",
        "show_skills",
        "show_languages",
        "show_availability",
        "show_partner",
        "accepts_contact",
    ]
    list_display = [
        "display_name",
        Column("partner", label=_("Partenaire")),
        Column("charter_status_label", label=_("Charte"), sort_key="charter_status"),
        Column("skills_display", label=_("Compétences")),
        BooleanColumn("active", label=_("Actif")),
        LiveStatusTagColumn(),
        UpdatedAtColumn(),
    ]
    filterset_class = VolunteerFilterSet
    search_fields = ["display_name", "first_name", "last_name", "email"]
    search_backend_name = None
    list_export = [
        "display_name",
        "first_name",
        "last_name",
        "email",
        "phone",
        "membership_status_label",
        "partner",
        "skills_display",
        "languages",
        "availability",
        "active",
        "live",
        "charter_status_label",
    ]
    export_headings = {
        "membership_status_label": _("Adhésion à CLX"),
        "skills_display": _("Compétences"),
        "live": _("Publié"),
        "charter_status_label": _("Charte"),
        "partner": _("Partenaire"),
    }
    export_filename = "benevoles"

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "fiche-charte/<int:pk>/",
                admin_views.charter_sheet,
                name="charter_sheet",
            ),
            path("effacer/<int:pk>/", admin_views.erase, name="erase"),
        ]

    def get_queryset(self, request):
        return (
            Volunteer.objects.with_charter_status()
            .select_related("partner")
            .prefetch_related("skill_items__tag")
        )


class CharterVersionViewSet(SnippetViewSet):
    model = CharterVersion
    icon = "doc-full"
    menu_label = _("Versions de la charte")
    menu_order = 200
    list_display = [
        "label",
        Column("effective_date", label=_("Date")),
        BooleanColumn("published", label=_("Publiée")),
        UpdatedAtColumn(),
    ]
    list_filter = ["published"]
    search_fields = ["label"]
    search_backend_name = None
    inspect_view_enabled = True


class CharterSignatureViewSet(SnippetViewSet):
    model = CharterSignature
    icon = "tick-inverse"
    menu_label = _("Signatures de la charte")
    menu_order = 300
    add_view_class = admin_views.CharterSignatureCreateView
    list_display = [
        Column("__str__", label=_("Signature")),
        Column("signed_on", label=_("Signée le")),
        Column("countersigned_on", label=_("Contresignée le")),
        Column("countersigned_by", label=_("Contresignée par")),
    ]
    list_filter = ["version"]
    search_fields = ["volunteer__display_name", "anonymised_label"]
    search_backend_name = None
    inspect_view_enabled = True
    list_export = [
        "volunteer",
        "anonymised_label",
        "version",
        "signed_on",
        "countersigned_on",
        "countersigned_by",
    ]
    export_filename = "signatures-charte"

    def get_queryset(self, request):
        return CharterSignature.objects.select_related(
            "volunteer", "version", "countersigned_by"
        )


class VolunteerAccountViewSet(SnippetViewSet):
    """Which account each facilitating volunteer uses (`VolunteerAccount`):
    only the médiathèque holds its permissions (roles matrix,
    « link_volunteer_accounts »), so no account can make itself a
    facilitator."""

    model = VolunteerAccount
    icon = "user"
    menu_label = _("Comptes des bénévoles")
    menu_order = 400
    list_display = [
        Column("volunteer", label=_("Bénévole")),
        Column("user", label=_("Compte")),
        Column("created_at", label=_("Relié le")),
    ]
    search_fields = ["volunteer__display_name", "user__username"]
    search_backend_name = None

    def get_queryset(self, request):
        return VolunteerAccount.objects.select_related("volunteer", "user")


class VolunteerGroup(SnippetViewSetGroup):
    items = (
        VolunteerViewSet,
        CharterVersionViewSet,
        CharterSignatureViewSet,
        VolunteerAccountViewSet,
    )
    menu_icon = "group"
    menu_label = _("Bénévoles")
    menu_name = "volunteers"
    menu_order = 300
