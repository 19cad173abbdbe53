"""Admin views of badges: the listings and inspect views of requests and
awarded badges with their buttons, and the awarding tools, routed as URL
patterns of their viewsets (`badge_awarding:award`, `badge_awarding:approve`…,
see `viewsets.py`). Every tool requires `resources.award_badge`; each view
validates a form from `forms.py` and calls one rule of `awarding.py`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import InspectView
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.models import Page

from portal.admin import FrenchBooleansMixin, IndexView

from . import awarding
from .forms import (
    ApproveForm,
    AttendeesForm,
    AwardForm,
    CsvImportForm,
    DeclineForm,
    EraseForm,
    RevokeForm,
)
from .models import BadgeAssertion, BadgeRequest
from .permissions import can_award

AWARDING_TOOLS = [
    (gettext_lazy("Décerner à une personne"), "award", "plus"),
    (gettext_lazy("Importer un CSV"), "import_csv", "upload"),
    (gettext_lazy("Présents à un atelier"), "attendees", "group"),
    (gettext_lazy("Effacer une personne"), "erase", "bin"),
]


# --- Requests -------------------------------------------------------------------


class BadgeRequestInspectView(FrenchBooleansMixin, InspectView):
    @cached_property
    def header_buttons(self):
        buttons = []
        if self.object.status == BadgeRequest.Status.PENDING and can_award(
            self.request.user
        ):
            buttons.append(
                HeaderButton(
                    _("Approuver et décerner"),
                    url=reverse("badge_awarding:approve", args=[self.object.pk]),
                    icon_name="check",
                )
            )
            buttons.append(
                HeaderButton(
                    _("Refuser"),
                    url=reverse("badge_awarding:decline", args=[self.object.pk]),
                    icon_name="cross",
                )
            )
        if self.object.assertion_id:
            buttons.append(
                HeaderButton(
                    _("Badge décerné"),
                    url=reverse(
                        "badge_assertions:inspect", args=[self.object.assertion_id]
                    ),
                    icon_name="tick-inverse",
                )
            )
        return buttons


class BadgeRequestIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == BadgeRequest.Status.PENDING and can_award(
            self.request.user
        ):
            buttons.append(
                Button(
                    _("Approuver"),
                    url=reverse("badge_awarding:approve", args=[instance.pk]),
                    icon_name="check",
                    priority=5,
                )
            )
            buttons.append(
                Button(
                    _("Refuser"),
                    url=reverse("badge_awarding:decline", args=[instance.pk]),
                    icon_name="cross",
                    priority=6,
                )
            )
        return buttons


# --- Awarded badges ---------------------------------------------------------------


class BadgeAssertionIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if can_award(self.request.user):
            for label, name, icon in AWARDING_TOOLS[:2]:
                buttons.append(
                    HeaderButton(
                        label, url=reverse(f"badge_awarding:{name}"), icon_name=icon
                    )
                )
        return buttons

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if can_award(self.request.user):
            for label, name, icon in AWARDING_TOOLS[2:]:
                buttons.append(
                    Button(label, url=reverse(f"badge_awarding:{name}"), icon_name=icon)
                )
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            Button(
                _("Page de vérification"),
                url=reverse("resources:assertion_verify", args=[instance.uid]),
                icon_name="link-external",
                priority=40,
            )
        )
        if not instance.revoked and can_award(self.request.user):
            buttons.append(
                Button(
                    _("Révoquer"),
                    url=reverse("badge_awarding:revoke", args=[instance.pk]),
                    icon_name="cross",
                    priority=50,
                )
            )
        return buttons


class BadgeAssertionInspectView(FrenchBooleansMixin, InspectView):
    @cached_property
    def header_buttons(self):
        buttons = [
            HeaderButton(
                _("Page de vérification"),
                url=reverse("resources:assertion_verify", args=[self.object.uid]),
                icon_name="link-external",
            )
        ]
        if not self.object.revoked and can_award(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Révoquer"),
                    url=reverse("badge_awarding:revoke", args=[self.object.pk]),
                    icon_name="cross",
                )
            )
        return buttons


# --- Awarding tools ---------------------------------------------------------------


class AwardingView(WagtailAdminTemplateMixin, FormView):
    template_name = "wagtailadmin/generic/form.html"
    header_icon = "tick-inverse"
    submit_button_label = gettext_lazy("Décerner")
    url_name = ""

    def dispatch(self, request, *args, **kwargs):
        if not can_award(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("badge_assertions:index"),
                "label": _("Badges décernés"),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = self.request.get_full_path()
        context["submit_button_label"] = self.submit_button_label
        context["submit_button_active_label"] = self.submit_button_label
        return context

    def get_success_url(self):
        return reverse("badge_assertions:index")


class AwardOneView(AwardingView):
    page_title = gettext_lazy("Décerner un badge à une personne")
    form_class = AwardForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            assertion = awarding.award_one(
                data["badge_class"],
                request=self.request,
                email=data["email"],
                name=data["name"],
                show_name=data["show_name"],
                evidence_narrative=data["evidence_narrative"],
                evidence_url=data["evidence_url"],
                awarded_by=self.request.user,
                source=BadgeAssertion.Source.ADMIN,
            )
        except awarding.AwardingError as error:
            form.add_error("email", str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Badge « %(badge)s » décerné à %(name)s ; un e-mail lui a été envoyé.")
            % {"badge": assertion.badge_class.name, "name": assertion.recipient_name},
        )
        return redirect("badge_assertions:inspect", assertion.pk)


class CsvImportView(AwardingView):
    page_title = gettext_lazy("Décerner un badge à partir d'un fichier CSV")
    form_class = CsvImportForm
    submit_button_label = gettext_lazy("Importer et décerner")

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            issued = awarding.import_csv(
                data["badge_class"],
                data["csv_file"].read(),
                awarded_by=self.request.user,
                evidence_narrative=data["evidence_narrative"],
                request=self.request,
            )
        except awarding.CsvImportError as error:
            form.add_error(
                "csv_file",
                [_("Rien n'a été décerné. Corrigez le fichier :")]
                + [
                    _("ligne %(line)s : %(message)s") % {"line": n, "message": m}
                    for n, m in error.errors
                ],
            )
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(n)s badges « %(badge)s » décernés.")
            % {"n": len(issued), "badge": data["badge_class"].name},
        )
        return super().form_valid(form)


class AttendeesView(AwardingView):
    page_title = gettext_lazy("Décerner un badge aux présents d'un atelier")
    form_class = AttendeesForm

    def form_valid(self, form):
        event_id, start = form.occurrences[form.cleaned_data["occurrence"]]
        event = get_object_or_404(Page, pk=event_id).specific
        issued, skipped = awarding.award_attendees(
            form.cleaned_data["badge_class"],
            event,
            start,
            awarded_by=self.request.user,
            request=self.request,
        )
        messages.success(
            self.request,
            _("%(n)s badges décernés ; %(skipped)s personnes l'avaient déjà.")
            % {"n": len(issued), "skipped": skipped},
        )
        return super().form_valid(form)


class EraseView(AwardingView):
    page_title = gettext_lazy("Effacer les données d'une personne")
    header_icon = "bin"
    form_class = EraseForm
    submit_button_label = gettext_lazy("Effacer")

    def form_valid(self, form):
        count, deleted = awarding.erase_recipient(
            form.cleaned_data["email"], revoke_assertions=form.cleaned_data["revoke"]
        )
        messages.success(
            self.request,
            _(
                "Données effacées : %(count)s badges anonymisés, %(deleted)s "
                "demandes supprimées."
            )
            % {"count": count, "deleted": deleted},
        )
        return super().form_valid(form)


class RequestDecisionView(AwardingView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.badge_request = get_object_or_404(
            BadgeRequest.objects.select_related("badge_class"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return str(self.badge_request)

    def get_success_url(self):
        return reverse("badge_requests:index")

    def form_invalid_with(self, form, error):
        form.add_error(None, str(error))
        messages.error(self.request, str(error))
        return self.form_invalid(form)


class ApproveView(RequestDecisionView):
    page_title = gettext_lazy("Approuver la demande et décerner le badge")
    form_class = ApproveForm
    submit_button_label = gettext_lazy("Approuver et décerner")

    def form_valid(self, form):
        try:
            assertion = awarding.approve_request(
                self.badge_request, self.request.user, self.request
            )
        except awarding.AwardingError as error:
            return self.form_invalid_with(form, error)
        messages.success(
            self.request,
            _("Badge décerné à %(name)s ; un e-mail lui a été envoyé.")
            % {"name": assertion.recipient_name},
        )
        return super().form_valid(form)


class DeclineView(RequestDecisionView):
    page_title = gettext_lazy("Refuser la demande")
    form_class = DeclineForm
    submit_button_label = gettext_lazy("Refuser et prévenir la personne")

    def form_valid(self, form):
        try:
            awarding.decline_request(
                self.badge_request, self.request.user, form.cleaned_data["message"]
            )
        except awarding.AwardingError as error:
            return self.form_invalid_with(form, error)
        messages.success(self.request, _("Demande refusée ; la personne est prévenue."))
        return super().form_valid(form)


class RevokeView(AwardingView):
    page_title = gettext_lazy("Révoquer un badge")
    header_icon = "cross"
    form_class = RevokeForm
    submit_button_label = gettext_lazy("Révoquer")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.assertion = get_object_or_404(BadgeAssertion, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.assertion)

    def form_valid(self, form):
        try:
            awarding.revoke(self.assertion, form.cleaned_data["reason"])
        except awarding.AwardingError as error:
            form.add_error("reason", str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Badge révoqué."))
        return super().form_valid(form)
