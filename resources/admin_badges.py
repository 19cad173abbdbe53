"""Admin of learning paths' competences and Open Badges: badge classes,
learners' requests (approve / decline), awarded badges (read-only audit data,
revoke), and the awarding tools (one person, a CSV file, the people present
at a workshop, erasing a recipient). Every awarding tool requires
`resources.award_badge`; the decisions themselves live in `awarding.py`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from . import awarding
from .models import BadgeAssertion, BadgeClass, BadgeRequest, Competence

AWARD_PERMISSION = "resources.award_badge"


def can_award(user):
    return user.has_perm(AWARD_PERMISSION)


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Audit data: seen by who may view (or award), changed only through the
    awarding tools, never edited, added or deleted in the generic views."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete", "copy"):
            return False
        if action in ("view", "inspect"):
            return (
                super().user_has_permission(user, "view")
                or super().user_has_permission(user, "change")
                or can_award(user)
            )
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return self.model._default_manager.all()
        return self.model._default_manager.none()

    def users_with_any_permission(self, actions, **kwargs):
        return super().users_with_any_permission(["view", "change"], **kwargs)


register_permission_policy(BadgeRequest, ReadOnlyPolicy(BadgeRequest))
register_permission_policy(BadgeAssertion, ReadOnlyPolicy(BadgeAssertion))


class FrenchBooleansMixin:
    """Inspect views say « Oui » / « Non », not True / False."""

    def get_field_display_value(self, field_name, field):
        if isinstance(field, models.BooleanField):
            return _("Oui") if getattr(self.object, field_name) else _("Non")
        return super().get_field_display_value(field_name, field)


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


# --- Requests -----------------------------------------------------------------


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
    ]
    inspect_view_class = BadgeRequestInspectView
    index_view_class = BadgeRequestIndexView


# --- Awarded badges -------------------------------------------------------------


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


class AwardForm(forms.Form):
    badge_class = forms.ModelChoiceField(
        BadgeClass.objects.all(), label=gettext_lazy("Badge")
    )
    name = forms.CharField(label=gettext_lazy("Nom du titulaire"), max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("E-mail du titulaire"),
        help_text=gettext_lazy("Il reçoit le lien vers son badge ; jamais publié."),
    )
    show_name = forms.BooleanField(
        label=gettext_lazy("La personne accepte que son nom soit affiché"),
        required=False,
    )
    evidence_narrative = forms.CharField(
        label=gettext_lazy("Preuve (texte)"), widget=forms.Textarea, required=False
    )
    evidence_url = forms.URLField(
        label=gettext_lazy("Preuve (lien)"), required=False, assume_scheme="https"
    )


class CsvImportForm(forms.Form):
    badge_class = forms.ModelChoiceField(
        BadgeClass.objects.all(), label=gettext_lazy("Badge")
    )
    csv_file = forms.FileField(
        label=gettext_lazy("Fichier CSV"),
        help_text=gettext_lazy(
            "Deux colonnes : nom, e-mail (une ligne d'en-tête est acceptée). "
            "Une seule ligne fausse et rien n'est décerné."
        ),
    )
    evidence_narrative = forms.CharField(
        label=gettext_lazy("Preuve commune (facultatif)"),
        required=False,
        help_text=gettext_lazy("Par exemple « A suivi l'atelier du 12 décembre »."),
    )

    MAX_SIZE = 1024 * 1024

    def clean_csv_file(self):
        upload = self.cleaned_data["csv_file"]
        if upload.size > self.MAX_SIZE:
            raise ValidationError(_("Le fichier dépasse 1 Mo."))
        return upload


class AttendeesForm(forms.Form):
    badge_class = forms.ModelChoiceField(
        BadgeClass.objects.all(), label=gettext_lazy("Badge")
    )
    occurrence = forms.ChoiceField(
        label=gettext_lazy("Séance"),
        help_text=gettext_lazy(
            "Les personnes cochées présentes sur la feuille d'émargement."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.occurrences = {}
        Registration = awarding.registration_model()
        if Registration is None:
            return
        rows = (
            Registration.objects.filter(attended=True)
            .values("event_id", "event__title", "occurrence_start")
            .annotate(present=Count("pk"))
            .order_by("-occurrence_start")[:200]
        )
        choices = []
        for row in rows:
            key = f"{row['event_id']}|{int(row['occurrence_start'].timestamp())}"
            self.occurrences[key] = (row["event_id"], row["occurrence_start"])
            start = timezone.localtime(row["occurrence_start"])
            choices.append(
                (
                    key,
                    _("%(title)s – %(date)s (%(n)s présents)")
                    % {
                        "title": row["event__title"],
                        "date": start.strftime("%d/%m/%Y %H:%M"),
                        "n": row["present"],
                    },
                )
            )
        self.fields["occurrence"].choices = choices


class EraseForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail de la personne"))
    revoke = forms.BooleanField(
        label=gettext_lazy("Révoquer aussi ses badges"),
        required=False,
        help_text=gettext_lazy(
            "Sinon, ses badges restent vérifiables par elle seule : le document "
            "public ne garde que l'empreinte de l'adresse, sans nom ni e-mail."
        ),
    )


class DeclineForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message à la personne"),
        widget=forms.Textarea,
        help_text=gettext_lazy("Envoyé par e-mail : expliquez ce qui manque."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif de la révocation"),
        max_length=255,
        help_text=gettext_lazy("Public : il figure dans la liste de révocation."),
    )


class ApproveForm(forms.Form):
    pass


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

    def get(self, request, *args, **kwargs):
        if awarding.registration_model() is None:
            messages.warning(
                request, _("L'agenda ne gère pas encore les inscriptions.")
            )
            return redirect("badge_assertions:index")
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        from wagtail.models import Page

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


AWARDING_TOOLS = [
    (gettext_lazy("Décerner à une personne"), "award", "plus"),
    (gettext_lazy("Importer un CSV"), "import_csv", "upload"),
    (gettext_lazy("Présents à un atelier"), "attendees", "group"),
    (gettext_lazy("Effacer une personne"), "erase", "bin"),
]


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


@hooks.register("register_admin_viewset")
def register_badges_viewsets():
    return BadgesGroup()
