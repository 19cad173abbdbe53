"""Relaying the agenda, in the Wagtail admin: the agenda subscribers'
listing (`events.viewsets.relay.SubscriberViewSet`) and « Diffuser
l'agenda ».

Agenda subscribers are personal data: only médiathèque staff see them
(`events.view_agendasubscription`: the list and its counts), export them
(`permissions.EXPORT_SUBSCRIBERS`, formulas neutralised) or erase one
(`events.delete_agendasubscription`); nobody adds or edits one by hand, the
public does it through the double opt-in. « Diffuser l'agenda » shows every
admin user the same addresses and iframe code as the public page.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.admin import IndexView

from .. import permissions, sharing
from ..models import AgendaSubscription
from ..subscription_emails import site_root


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


class ShareView(WagtailAdminTemplateMixin, TemplateView):
    """The public page's snippets, for staff who relay the agenda."""

    template_name = "events/admin/share.html"
    page_title = gettext_lazy("Diffuser l'agenda")
    header_icon = "link"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = sharing.snippets(site_root())
        context["origins"] = sharing.partner_origins()
        context["public_url"] = reverse("events:share")
        return context
