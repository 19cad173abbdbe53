"""The agenda's e-mail subscribers in the Wagtail admin
(`events.subscriptions.viewsets.SubscriberViewSet`).

Agenda subscribers are personal data: only médiathèque staff see them
(`events.view_agendasubscription`: the list and its counts), export them
(`permissions.EXPORT_SUBSCRIBERS`, formulas neutralised) or erase one
(`events.delete_agendasubscription`); nobody adds or edits one by hand, the
public does it through the double opt-in.
"""

from django.utils.translation import gettext as _

from events import permissions
from events.models import AgendaSubscription
from portal.admin import IndexView


class SubscriberIndexView(IndexView):
    any_permission_required = ["view"]
    export_permission = permissions.EXPORT_SUBSCRIBERS

    def get_page_subtitle(self):
        subscriptions = AgendaSubscription.objects
        return _(
            "%(confirmed)d confirmé(s), %(pending)d en attente de confirmation"
        ) % {
            "confirmed": subscriptions.confirmed().count(),
            "pending": subscriptions.pending().count(),
        }
