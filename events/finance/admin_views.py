"""Admin views of the events' financial commitments, served as URL patterns
of `events.rooms.viewsets.CommitmentViewSet`, and the editor's side of the
publish guard (page hooks registered in `events/wagtail_hooks.py`). Thin:
each one checks a permission of the roles matrix, calls one rule of
`events.finance.rules`, and renders or redirects with a French message."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.views.generic import CreateView, EditView, InspectView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.widgets import Button

from events import permissions
from events.finance import rules as finance
from events.finance.forms import CommitmentDecisionForm
from events.models import EventPage, FinancialCommitment
from portal.admin import FrenchSpreadsheetMixin, IndexView, require_permission
from portal.inputguard import MAX_ID, bounded_int

# -- Financial commitments -------------------------------------------------------------


class CommitmentIndexView(FrenchSpreadsheetMixin, IndexView):
    """The lines, filterable by year of the event; CSV/XLSX exports for the
    town's spreadsheets (French labels, Paris time, amounts as numbers;
    formulas neutralised by the shared base) take the export permission."""

    export_permission = permissions.EXPORT_COMMITMENTS

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event")


class CommitmentCreateView(CreateView):
    def get_initial(self):
        initial = super().get_initial()
        if event := bounded_int(self.request.GET.get("event"), 1, MAX_ID):
            initial["event"] = event
        return initial

    def save_instance(self):
        return finance.save_line(self.form.save(commit=False), self.request.user)

    def get_success_url(self):
        return reverse("commitments:inspect", args=(self.object.pk,))


class CommitmentEditView(EditView):
    """A line's event is fixed (the form shows it, read-only); who may change
    the line, and when, is `finance.change_refusal`'s answer, given in
    French on the line's page instead of a bare 403."""

    def dispatch(self, request, *args, **kwargs):
        line = get_object_or_404(FinancialCommitment, pk=kwargs.get("pk"))
        refusal = finance.change_refusal(line, request.user)
        if refusal:
            messages.error(request, refusal)
            return redirect("commitments:inspect", line.pk)
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        try:
            return finance.save_line(
                self.form.save(commit=False),
                self.request.user,
                changed_fields=self.form.changed_data,
            )
        except finance.ChangeRefused as refused:
            raise PermissionDenied(refused.message) from refused


class CommitmentInspectView(InspectView):
    template_name = "events/finance/admin/commitment_inspect.html"

    def get_fields(self):
        return ["event", "label", "amount", "payer", "town_status", "clx_status"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        line = self.object
        user = self.request.user
        # Each party's form has its own prefix: on a shared line both may be
        # on the page (never for one account today), and their labels must
        # not tick each other's radios.
        forms = []
        if line.needs_town and permissions.may_authorise_for_town(user):
            forms.append(
                ("town", _("Autorisation de la ville"), CommitmentDecisionForm("town"))
            )
        if line.needs_clx and permissions.may_agree_for_clx(user):
            forms.append(("clx", _("Accord de CLX"), CommitmentDecisionForm("clx")))
        context.update(
            {
                "line": line,
                "decisions": line.decisions.select_related("user"),
                "decision_forms": forms,
                "may_change": not finance.change_refusal(line, user),
                "others": FinancialCommitment.objects.filter(event=line.event_id)
                .exclude(pk=line.pk)
                .order_by("pk"),
                "block_message": finance.block_message(
                    FinancialCommitment.objects.filter(event=line.event_id)
                ),
                "document_url": reverse("commitments:document", args=(line.pk,))
                if line.document
                else "",
            }
        )
        return context


@require_POST
def commitment_decide(request, pk):
    line = get_object_or_404(FinancialCommitment, pk=pk)
    back = reverse("commitments:inspect", args=(pk,))
    party = request.POST.get("party")
    if party not in CommitmentDecisionForm.PARTIES:
        messages.error(request, _("Choisissez la décision de la ville ou de CLX."))
        return redirect(back)
    form = CommitmentDecisionForm(party, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    decide = {
        ("town", "give"): finance.authorise_town,
        ("town", "refuse"): finance.refuse_town,
        ("clx", "give"): finance.agree_clx,
        ("clx", "refuse"): finance.refuse_clx,
    }[(party, data["decision"])]
    try:
        decide(line, request.user, data["comment"])
    except finance.DecisionRefused as refused:
        if refused.status == 403:
            raise PermissionDenied(refused.message) from refused
        messages.error(request, refused.message)
        return redirect(back)
    messages.success(request, _("Décision enregistrée."))
    return redirect(back)


def commitment_document(request, pk):
    """The quote or invoice, for people who may see the commitments."""
    require_permission(request, permissions.VIEW_COMMITMENTS)
    line = get_object_or_404(FinancialCommitment, pk=pk)
    if not line.document:
        raise Http404
    name = line.document.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(line.document.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- The editor's side of the publish guard (see events.finance.rules) ---------
# The guard in events.finance.rules refuses every route; these hooks make the admin
# say why, in French, instead of a bare « permission denied ».


def _unsettled_message(page):
    if not isinstance(page.specific_deferred, EventPage) or page.pk is None:
        return ""
    return finance.block_message(FinancialCommitment.objects.filter(event=page.pk))


REFUSED_MARK = "publication-refusee"


def _back_to_editor(page):
    # Marked so that the editor does not repeat the reason as a warning.
    return redirect(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)) + f"?{REFUSED_MARK}=1"
    )


def refuse_unsettled_publish(request, page):
    """before_publish_page: publish and schedule from the editor."""
    message = _unsettled_message(page)
    if message:
        messages.error(request, message)
        return _back_to_editor(page)
    return None


def _approves(request):
    return (
        request.method == "POST"
        and bool(request.POST.get("action-workflow-action"))
        and request.POST.get("workflow-action-name") == "approve"
    )


def warn_or_refuse_on_edit(request, page):
    """before_edit_page: an approval from the editor is refused with the
    reason; opening the editor shows what is still waiting."""
    message = _unsettled_message(page)
    if not message:
        return None
    if _approves(request):
        messages.error(request, message)
        return _back_to_editor(page)
    if request.method == "GET" and REFUSED_MARK not in request.GET:
        messages.warning(request, message)
    return None


class EventWorkflowActionView(WorkflowActionView):
    """Wagtail's workflow action view for events (the dashboard's
    « Approuver » in « En attente de votre relecture »). Approving publishes:
    a refusal by the money guard says which line waits and for what, as the
    editor does, and a done approval says so; both on the page the person
    came from (the modal follows its `redirect`)."""

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                response = super().post(request, *args, **kwargs)
        except finance.PublishBlocked as blocked:
            messages.error(request, blocked.message)
            return self._back()
        self.task_state.refresh_from_db()
        if self.task_state.status == self.task_state.STATUS_APPROVED:
            page = self.object.specific_deferred
            page.refresh_from_db(fields=["live"])
            title = page.get_admin_display_title()
            if page.live:
                text = _("« %(title)s » est approuvé et publié.")
            else:
                text = _("« %(title)s » est approuvé.")
            messages.success(request, text % {"title": title})
        return response

    def _back(self):
        if self.request.headers.get("x-requested-with") == "XMLHttpRequest":
            return self.render_modal_json(
                self.request, {"step": "success", "redirect": self.redirect_url}
            )
        return redirect(self.redirect_url)


def refuse_unsettled_bulk_publish(request, action_type, objects, action):
    """before_bulk_action: « Publier » on a selection with such an event."""
    if action_type != "publish":
        return None
    blocked = [page for page in objects if _unsettled_message(page)]
    if not blocked:
        return None
    for page in blocked:
        messages.error(
            request, f"{page.get_admin_display_title()} : {_unsettled_message(page)}"
        )
    return redirect(action.next_url or reverse("wagtailadmin_home"))


def refuse_live_copy(request, page):
    """before_copy_page: a copy with money lines starts as a draft, since
    its lines ask for their agreements again."""
    if (
        request.method == "POST"
        and request.POST.get("publish_copies")
        and isinstance(page.specific_deferred, EventPage)
        and any(
            line.needs_town or line.needs_clx
            for line in FinancialCommitment.objects.filter(event=page.pk)
        )
    ):
        messages.error(
            request,
            _(
                "Cet événement a des engagements financiers : copiez-le sans le "
                "publier, ses dépenses devront être autorisées à nouveau."
            ),
        )
        return redirect("wagtailadmin_pages:copy", page.pk)
    return None


def copy_commitments(request, page, new_page):
    """after_copy_page: the copy carries the lines, each waiting again."""
    if isinstance(page.specific_deferred, EventPage):
        finance.copy_lines(page.pk, new_page)


def commitments_header_button(page, user, view_name, next_url=None):
    """register_page_header_buttons: the event's money lines, one click away."""
    if not isinstance(page.specific_deferred, EventPage) or not user.has_perm(
        permissions.VIEW_COMMITMENTS
    ):
        return
    lines = list(FinancialCommitment.objects.filter(event=page.pk))
    waiting = len(finance.unsettled(lines))
    label = _("Engagements financiers (%(count)s)") % {"count": len(lines)}
    if waiting:
        label = _("Engagements financiers (%(count)s, dont %(waiting)s en attente)") % {
            "count": len(lines),
            "waiting": waiting,
        }
    yield Button(
        label,
        url=reverse("commitments:index") + f"?event={page.pk}",
        icon_name="doc-full",
        priority=90,
    )
