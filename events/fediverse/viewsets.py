"""Fediverse followers in the admin, for the médiathèque's staff: who
follows the agenda, which servers fail, and a block (state « bloqué »: the
account gets nothing more and its next Follow is refused)."""

from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet

from events.fediverse.models import Follower
from portal.admin import ModelViewSet


class FollowerFilterSet(WagtailFilterSet):
    state = ChoiceFilter(label=_("État"), choices=Follower.STATE_CHOICES)

    class Meta:
        model = Follower
        fields = []


class FollowerViewSet(ModelViewSet):
    model = Follower
    icon = "group"
    menu_label = _("Abonnés du fédivers")
    menu_order = 226
    url_prefix = "agenda/federation"
    name = "fediverse_followers"
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    # Editing a follower is blocking or unblocking it.
    form_fields = ["state"]
    list_display = ["actor_url", "local_actor", "state", "failures", "created_at"]
    filterset_class = FollowerFilterSet
    search_fields = ["actor_url"]
    search_backend_name = None

    def get_urlpatterns(self):
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in ("add", "copy")
        ]
