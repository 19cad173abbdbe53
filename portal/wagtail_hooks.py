"""Admin side of the roles: refusing forged publish requests, showing each
editor where their pages stand, and which partner wrote what; the
« Bilan de la convention » page and its menu item."""

import django_filters
from django.contrib import messages
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.forms import RadioSelect
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, UserColumn
from wagtail.admin.views.pages.listing import GenericPageFilterSet, IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Page

from . import dashboard, help, roles
from .report import urls as report_urls
from .report import views as report_views
from .viewsets import FailedMailViewSet

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


# --- Admin home: the panels of each role (portal/dashboard.py) ------------


@hooks.register("construct_homepage_panels")
def add_portal_panels(request, panels):
    panels.extend(dashboard.panels_for(request.user))


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


# --- The portal's few admin styles (dashboard actions, guide pages) ---------


@hooks.register("insert_global_admin_css")
def portal_admin_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("portal/css/admin.css")
    )


# --- « Aide »: the portal's own guide, first in the help menu ---------------


@hooks.register("register_admin_viewset")
def register_help_pages():
    return help.HelpViewSet()


@hooks.register("register_help_menu_item")
def register_help_menu_item():
    return help.help_menu_item()


@hooks.register("construct_help_menu")
def keep_help_menu_for_editors(request, menu_items):
    help.arrange_help_menu(menu_items)


# --- « Envois en échec »: mail the queue gave up on (portal.viewsets) -------


@hooks.register("register_admin_viewset")
def register_failed_mail_viewset():
    return FailedMailViewSet()


# --- « Bilan de la convention »: the partnership's year (portal.report) -----


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("bilan/", include(report_urls, namespace="convention_report"))]


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return report_views.ReportMenuItem(
        _("Bilan de la convention"),
        reverse("convention_report:index"),
        name="bilan-convention",
        icon_name="table",
        order=900,
    )
