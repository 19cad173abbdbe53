"""Registers the admin of the volunteer directory (viewsets in
`viewsets.py`, their views in `admin_views.py`): the « Bénévoles » menu, the
dashboard panel of who must sign the charter, and the erasure log action."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin_views import CharterRenewalPanel
from .erasure import ERASE_ACTION
from .permissions import can_countersign
from .viewsets import VolunteerGroup

register_snippet(VolunteerGroup)


@hooks.register("construct_homepage_panels")
def add_charter_renewal_panel(request, panels):
    if can_countersign(request.user):
        panels.append(CharterRenewalPanel())


@hooks.register("register_log_actions")
def register_volunteer_log_actions(actions):
    actions.register_action(
        ERASE_ACTION,
        _("Effacement RGPD"),
        _("Données personnelles du bénévole effacées"),
    )
