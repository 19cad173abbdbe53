"""Admin side of the roles: refusing forged publish requests, showing each
editor where their pages stand, and which partner wrote what."""

import django_filters
from django.contrib import messages
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.forms import RadioSelect
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, UserColumn
from wagtail.admin.views.pages.listing import GenericPageFilterSet, IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Page, WorkflowState

from . import roles
from .viewsets import FailedMailViewSet, failed_mail_panel

FORGED_PUBLISH = _(
    "Vous n'avez pas le droit de publier ici : enregistrez un brouillon et "
    "soumettez-le à « Validation médiathèque »."
)


# --- A refused publish says so, and keeps nothing ------------------------
# Wagtail quietly saves a draft when someone without the publish permission
# posts « publish »; we refuse instead, so nobody believes it went live.


@hooks.register("before_edit_page")
def refuse_forged_page_publish(request, page):
    if (
        _asks_to_publish(request)
        and not page.permissions_for_user(request.user).can_publish()
    ):
        messages.error(request, FORGED_PUBLISH)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_create_page")
def refuse_forged_page_publish_on_create(request, parent_page, page_class):
    if (
        _asks_to_publish(request)
        and not parent_page.permissions_for_user(request.user).can_publish_subpage()
    ):
        messages.error(request, FORGED_PUBLISH)
        return redirect("wagtailadmin_explore", parent_page.pk)
    return None


@hooks.register("before_edit_snippet")
def refuse_forged_snippet_publish(request, instance):
    viewset = getattr(instance, "snippet_viewset", None)
    if (
        viewset is not None
        and _asks_to_publish(request)
        and not viewset.permission_policy.user_has_permission(request.user, "publish")
    ):
        messages.error(request, FORGED_PUBLISH)
        return redirect(viewset.get_url_name("edit"), instance.pk)
    return None


def _asks_to_publish(request):
    return request.method == "POST" and bool(request.POST.get("action-publish"))


# --- Admin home: « Mes contenus » ------------------------------------------


def page_stage(page, state):
    """Where a page stands, in the words of its author."""
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return _("Modifications demandées")
    if state is not None:
        return _("En attente de relecture")
    if page.approved_schedule:
        return _("Publication programmée")
    if page.live and page.has_unpublished_changes:
        return _("En ligne, modifications en brouillon")
    if page.live:
        return _("En ligne")
    return _("Brouillon")


class MyPagesPanel(Component):
    """The pages an editor owns, the most recently changed first, each with
    where it stands in the workflow (draft, waiting, changes requested…)."""

    name = "portal_my_pages"
    template_name = "portal/admin/home/my_pages.html"
    order = 205
    limit = 10

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        pages = list(
            Page.objects.filter(owner=request.user)
            .exclude(depth=1)
            .annotate_approved_schedule()
            .order_by("-latest_revision_created_at")
            .select_related("content_type")[: self.limit]
        )
        states = {
            int(state.object_id): state
            for state in WorkflowState.objects.active().filter(
                base_content_type__model="page",
                base_content_type__app_label="wagtailcore",
                object_id__in=[str(page.pk) for page in pages],
            )
        }
        return {
            "rows": [
                {
                    "page": page,
                    "stage": page_stage(page, states.get(page.pk)),
                    "type": page.content_type.name,
                }
                for page in pages
            ],
            "request": request,
        }


@hooks.register("construct_homepage_panels")
def add_my_pages_panel(request, panels):
    # Superusers see the whole site anyway; everyone else sees their pages.
    if not request.user.is_superuser:
        panels.append(MyPagesPanel())


# --- « Contenus par partenaire »: who wrote what ----------------------------


def _roles_of(partner):
    return [role for role, slug in roles.PARTNER_OF_ROLE.items() if slug == partner]


def _owner_in(partner):
    return Exists(
        Group.objects.filter(user=OuterRef("owner_id"), name__in=_roles_of(partner))
    )


PARTNER_CHOICES = [
    ("mediatheque-wimille", _("Médiathèque")),
    ("clx", _("CLX")),
]


class PartnerFilter(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        if value:
            return qs.filter(_owner_in(value))
        return qs


class PartnerPageFilterSet(GenericPageFilterSet):
    partner = PartnerFilter(
        label=_("Partenaire auteur"),
        choices=PARTNER_CHOICES,
        empty_label=_("Tous"),
        widget=RadioSelect,
    )


def partner_label(page):
    if getattr(page, "by_clx", False):
        return _("CLX")
    if getattr(page, "by_mediatheque", False):
        return _("Médiathèque")
    return "—"


class PartnerIndexView(IndexView):
    page_title = _("Contenus par partenaire")

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                by_clx=_owner_in("clx"),
                by_mediatheque=_owner_in("mediatheque-wimille"),
            )
            .select_related("owner")
        )


class PartnerPagesViewSet(PageListingViewSet):
    """Every page the user may explore, with the partner who wrote it (the
    partner of its owner's role) as a column and a filter."""

    index_view_class = PartnerIndexView
    model = Page
    icon = "group"
    menu_label = _("Contenus par partenaire")
    menu_order = 150
    add_to_admin_menu = True
    name = "contenus_par_partenaire"
    url_prefix = "contenus-par-partenaire"
    filterset_class = PartnerPageFilterSet
    columns = [
        *IndexView.base_columns,
        Column("partner", label=_("Partenaire"), accessor=partner_label, width="12%"),
        UserColumn("owner", label=_("Auteur"), width="14%"),
    ]


@hooks.register("register_admin_viewset")
def register_partner_pages():
    return PartnerPagesViewSet()


# --- « Envois en échec »: mail the queue gave up on (portal.viewsets) -------


@hooks.register("register_admin_viewset")
def register_failed_mail_viewset():
    return FailedMailViewSet()


@hooks.register("construct_homepage_panels")
def add_failed_mail_panel(request, panels):
    panel = failed_mail_panel(request.user)
    if panel is not None:
        panels.append(panel)
