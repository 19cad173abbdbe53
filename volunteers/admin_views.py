"""Admin views of the volunteers app: the volunteer listing, edit and
inspect views (contact details only for `volunteers.view_volunteer_contact`),
the charter signature form, the printable charter sheet, erasure, and the
dashboard panel of volunteers who must sign the charter. The sheet and
erasure are URL patterns of the volunteer viewset
(`wagtailsnippets_volunteers_volunteer:charter_sheet`, `…:erase`)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import require_admin_access
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.snippets.views.snippets import CreateView, EditView, InspectView

from portal.admin import SnippetIndexView

from . import charter
from .erasure import erase_volunteer
from .models import PRIVATE_FIELDS, Volunteer
from .permissions import can_countersign, can_erase, can_see_contact

# --- Volunteers -------------------------------------------------------------


def _private_allowed(request):
    return can_see_contact(request.user)


class VolunteerIndexView(SnippetIndexView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not _private_allowed(request):
            self.list_export = [f for f in self.list_export if f not in PRIVATE_FIELDS]
            self.search_fields = [
                f for f in self.search_fields if f not in PRIVATE_FIELDS
            ]


def _volunteer_header_buttons(request, volunteer):
    buttons = []
    if can_see_contact(request.user):
        buttons.append(
            Button(
                _("Fiche charte à imprimer"),
                url=reverse(
                    "wagtailsnippets_volunteers_volunteer:charter_sheet",
                    args=[volunteer.pk],
                ),
                icon_name="doc-full",
                priority=40,
            )
        )
    if can_erase(request.user):
        buttons.append(
            Button(
                _("Effacer les données (RGPD)"),
                url=reverse(
                    "wagtailsnippets_volunteers_volunteer:erase", args=[volunteer.pk]
                ),
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


@require_admin_access
def charter_sheet(request, pk):
    """The current charter, pre-filled with the volunteer's name, to print and
    sign in person (then record the signature in the admin)."""
    if not can_see_contact(request.user):
        raise PermissionDenied
    volunteer = get_object_or_404(Volunteer.objects.select_related("partner"), pk=pk)
    return TemplateResponse(
        request,
        "volunteers/charter_sheet.html",
        {
            "volunteer": volunteer,
            "version": charter.current_version(),
            "status_label": volunteer.charter_status_label,
        },
    )


@require_admin_access
def erase(request, pk):
    if not can_erase(request.user):
        raise PermissionDenied
    volunteer = get_object_or_404(Volunteer, pk=pk)
    if request.method == "POST":
        report = erase_volunteer(volunteer, user=request.user)
        messages.success(request, " ".join(report.lines()))
        return redirect("wagtailsnippets_volunteers_volunteer:list")
    return TemplateResponse(
        request,
        "volunteers/admin/erase_confirm.html",
        {
            "volunteer": volunteer,
            "revision_count": volunteer.revisions.count(),
            "signature_count": volunteer.charter_signatures.count(),
        },
    )


# --- Charter signatures -------------------------------------------------------


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


# --- Dashboard ----------------------------------------------------------------


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
                "sheet_url_name": "wagtailsnippets_volunteers_volunteer:charter_sheet",
                "can_print": can_see_contact(parent_context["request"].user),
            }
        )
        return context
