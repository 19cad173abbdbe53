"""« Diffuser l'agenda » in the Wagtail admin: every admin user sees the
same addresses and iframe code as the public page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from events.relay import rules as sharing
from portal.mail import site_root


class ShareView(WagtailAdminTemplateMixin, TemplateView):
    """The public page's snippets, for staff who relay the agenda."""

    template_name = "events/relay/admin/share.html"
    page_title = gettext_lazy("Diffuser l'agenda")
    header_icon = "link"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = sharing.snippets(site_root())
        context["origins"] = sharing.partner_origins()
        context["public_url"] = reverse("events:share")
        return context
