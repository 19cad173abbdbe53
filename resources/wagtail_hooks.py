"""Registers the admin of the resources app (its viewsets are in
`viewsets.py`, their views in `admin_views.py`)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from portal.admin import ReadOnlyPolicy

from .models import BadgeAssertion, BadgeRequest
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
