"""Admin views of the volunteers app: the printable charter sheet and the
erasure of a volunteer. Both are reached from the volunteer's admin pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from wagtail.admin.auth import require_admin_access

from . import charter
from .erasure import erase_volunteer
from .models import Volunteer
from .permissions import can_erase, can_see_contact


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
