"""Registers the admin of the resources app (its viewsets are in
`viewsets.py`, their views in `admin_views.py`)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from portal.admin import ReadOnlyPolicy
from portal.dashboard import QuickAction

from .models import (
    BadgeAssertion,
    BadgeRequest,
    GuideIndexPage,
    GuidePage,
    LearningPathIndexPage,
    LearningPathPage,
)
from .panels import BadgeRequestsPanel
from .permissions import AWARD_PERMISSION
from .viewsets import BadgesGroup, MachineViewSet

# Requests and awarded badges are audit data: seen by who may view (or
# award), changed only through the awarding tools.
for model in (BadgeRequest, BadgeAssertion):
    register_permission_policy(
        model,
        ReadOnlyPolicy(
            model,
            denied=("add", "change", "delete", "copy"),
            also_seen_with=(
                f"resources.change_{model._meta.model_name}",
                AWARD_PERMISSION,
            ),
        ),
    )


@hooks.register("register_admin_viewset")
def register_badges_viewsets():
    return BadgesGroup()


register_snippet(MachineViewSet)


# -- Admin home --------------------------------------------------------------------


@hooks.register("construct_homepage_panels")
def add_badge_requests_panel(request, panels):
    if request.user.has_perm(AWARD_PERMISSION):
        panels.append(BadgeRequestsPanel())


@hooks.register("portal_quick_actions")
def learning_quick_actions():
    return [
        QuickAction(_("Écrire un guide"), "doc-full", 20, GuideIndexPage, GuidePage),
        QuickAction(
            _("Créer un parcours"),
            "list-ol",
            30,
            LearningPathIndexPage,
            LearningPathPage,
        ),
    ]
