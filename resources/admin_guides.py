"""Admin of the guides: the Machine snippet (imported from wagtail_hooks)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Machine


class MachineViewSet(SnippetViewSet):
    model = Machine
    icon = "cogs"
    menu_label = _("Machines du Fab Lab")
    menu_order = 310
    add_to_admin_menu = False
    list_display = ["name", "kind", "model_name", "location", "training_required"]
    list_filter = ["kind", "location", "training_required"]
    list_export = [
        "name",
        "slug",
        "kind",
        "model_name",
        "location",
        "training_required",
        "training_text",
        "training_url",
    ]
    export_filename = "machines-fab-lab"
    search_fields = ["name", "model_name", "location"]
    inspect_view_enabled = True
    ordering = ["name"]


register_snippet(MachineViewSet)
