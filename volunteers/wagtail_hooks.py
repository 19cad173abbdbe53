"""Admin for the volunteer directory: volunteers, charter versions and
signatures, the « who must re-sign » dashboard panel, the printable charter
sheet and erasure. Contact details only ever reach users holding
`volunteers.view_volunteer_contact`."""

import django_filters
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import (
    BooleanColumn,
    Column,
    LiveStatusTagColumn,
    UpdatedAtColumn,
)
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from portal.exports import neutralise_formula

from . import charter, views
from .erasure import ERASE_ACTION
from .models import (
    PRIVATE_FIELDS,
    CharterSignature,
    CharterVersion,
    Skill,
    Volunteer,
)
from .permissions import can_countersign, can_erase, can_see_contact


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


def _private_allowed(request):
    return can_see_contact(request.user)


class VolunteerIndexView(IndexView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not _private_allowed(request):
            self.list_export = [f for f in self.list_export if f not in PRIVATE_FIELDS]
            self.search_fields = [
                f for f in self.search_fields if f not in PRIVATE_FIELDS
            ]

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        return {field: neutralise_formula(value) for field, value in row.items()}


def _volunteer_header_buttons(request, volunteer):
    buttons = []
    if can_see_contact(request.user):
        buttons.append(
            Button(
                _("Fiche charte à imprimer"),
                url=reverse("volunteers_charter_sheet", args=[volunteer.pk]),
                icon_name="doc-full",
                priority=40,
            )
        )
    if can_erase(request.user):
        buttons.append(
            Button(
                _("Effacer les données (RGPD)"),
                url=reverse("volunteers_erase", args=[volunteer.pk]),
                icon_name="bin",
                priority=50,
            )
        )
    return buttons


class VolunteerEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            *_volunteer_header_buttons(self.request, self.object),
        ]


class VolunteerInspectView(InspectView):
    def get_fields(self):
        fields = super().get_fields()
        if not _private_allowed(self.request):
            fields = [f for f in fields if f not in PRIVATE_FIELDS]
        return fields

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            *_volunteer_header_buttons(self.request, self.object),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signatures"] = self.object.charter_signatures.select_related(
            "version", "countersigned_by"
        )
        return context


class VolunteerViewSet(SnippetViewSet):
    model = Volunteer
    icon = "group"
    menu_label = _("Bénévoles")
    menu_order = 100
    add_to_admin_menu = False
    index_view_class = VolunteerIndexView
    edit_view_class = VolunteerEditView
    inspect_view_class = VolunteerInspectView
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


class CharterSignatureCreateView(CreateView):
    def get_initial(self):
        initial = super().get_initial()
        current = charter.current_version()
        initial.setdefault("version", current.pk if current else None)
        initial.setdefault("signed_on", timezone.localdate())
        if can_countersign(self.request.user):
            initial.setdefault("countersigned_on", timezone.localdate())
            initial.setdefault("countersigned_by", self.request.user.pk)
        return initial


class CharterSignatureViewSet(SnippetViewSet):
    model = CharterSignature
    icon = "tick-inverse"
    menu_label = _("Signatures de la charte")
    menu_order = 300
    add_view_class = CharterSignatureCreateView
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


class VolunteerGroup(SnippetViewSetGroup):
    items = (VolunteerViewSet, CharterVersionViewSet, CharterSignatureViewSet)
    menu_icon = "group"
    menu_label = _("Bénévoles")
    menu_name = "volunteers"
    menu_order = 300


register_snippet(VolunteerGroup)


class CharterRenewalPanel(Component):
    """Dashboard: active volunteers whose charter is not « à jour »."""

    name = "volunteers_charter_renewal"
    template_name = "volunteers/admin/charter_renewal_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        volunteers = list(charter.volunteers_to_sign()[:50])
        context.update(
            {
                "version": charter.current_version(),
                "to_renew": [v for v in volunteers if v.charter_status == "to_renew"],
                "missing": [v for v in volunteers if v.charter_status == "missing"],
                "edit_url_name": "wagtailsnippets_volunteers_volunteer:edit",
                "can_print": can_see_contact(parent_context["request"].user),
            }
        )
        return context


@hooks.register("construct_homepage_panels")
def add_charter_renewal_panel(request, panels):
    if can_countersign(request.user):
        panels.append(CharterRenewalPanel())


@hooks.register("register_admin_urls")
def register_volunteer_admin_urls():
    return [
        path(
            "benevoles/<int:pk>/fiche-charte/",
            views.charter_sheet,
            name="volunteers_charter_sheet",
        ),
        path("benevoles/<int:pk>/effacer/", views.erase, name="volunteers_erase"),
    ]


@hooks.register("register_log_actions")
def register_volunteer_log_actions(actions):
    actions.register_action(
        ERASE_ACTION,
        _("Effacement RGPD"),
        _("Données personnelles du bénévole effacées"),
    )
