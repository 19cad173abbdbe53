"""The pages reached only through a signed link e-mailed to its owner
(« annuler mon inscription », « gérer mon inscription », « gérer mon
rendez-vous »), and the French message pages of the public agenda forms.

Every such page follows one rule: the link is checked by the rule module
(`events.registrations.rules`, `events.appointments.rules`), which answers with the
object or an error carrying a French message and an HTTP status; a cancelled
or already started booking gets a French 410; GET only shows (mail scanners
follow links) and POST acts; other methods get a French 405. Subclasses say
what their booking is and what POST does.

Every page a secret link opens (these, and the agenda subscription's) is
sent with `private_link`'s Referrer-Policy, so the link never leaks to
another site and the page's own forms still post a real `Origin`."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from portal import routing


def private_link(response):
    """Mark the response of a page opened by a secret link: no other site
    may learn the link from the Referer. (Not « no-referrer », in a header
    or a `<meta>`: Chromium then posts the page's forms with « Origin:
    null », which Django's CSRF check rightly refuses with a 403.)"""
    response["Referrer-Policy"] = "same-origin"
    return response


def crumbs(event, request=None):
    """The breadcrumbs of a page under an event (none without one); with
    the request, its ancestors are read once per process
    (`portal.routing.ancestors`)."""
    if not event:
        return None
    if request is None:
        return event.get_ancestors(inclusive=True).filter(depth__gt=1)
    return [*routing.ancestors(request, event), event]


def message_page(request, template_name, event, title, message, status, **extra):
    """A page that only says something (refused, done), with the status."""
    context = {
        "event": event,
        "title": title,
        "message": message,
        "crumbs": crumbs(event),
        **extra,
    }
    return render(request, template_name, context, status=status)


@method_decorator([never_cache, csrf_protect], name="dispatch")
class SignedLinkView(View):
    """One signed link's page. Subclasses set the French texts and
    `message_template_name`, and implement `find(token)` (raising one of
    `invalid_link_errors`, which carry `message` and `status`),
    `get_event()` and `has_started(now)`; then `get` and `post`, with
    `self.booking`, `self.event` and `self.now` set."""

    http_method_names = ["get", "head", "post"]
    message_template_name = None
    invalid_link_errors = ()
    #: The title of the pages that refuse the link (invalid, started…).
    link_title = ""
    cancelled_title = ""
    cancelled_message = ""
    started_message = ""

    def find(self, token):
        raise NotImplementedError

    def get_event(self):
        raise NotImplementedError

    def has_started(self, now):
        raise NotImplementedError

    def message_page(self, event, title, message, status, **extra):
        return message_page(
            self.request,
            self.message_template_name,
            event,
            title,
            message,
            status,
            **extra,
        )

    def http_method_not_allowed(self, request, *args, **kwargs):
        return self.message_page(
            None, self.link_title, _("Méthode non autorisée."), 405
        )

    def dispatch(self, request, token):
        return private_link(self.answer(request, token))

    def answer(self, request, token):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request)
        try:
            self.booking = self.find(token)
        except self.invalid_link_errors as error:
            return self.message_page(None, self.link_title, error.message, error.status)
        self.event = self.get_event()
        self.now = timezone.now()
        if self.booking.is_cancelled:
            return self.message_page(
                self.event, self.cancelled_title, self.cancelled_message, 410
            )
        if self.has_started(self.now):
            return self.message_page(
                self.event, self.link_title, self.started_message, 410
            )
        return super().dispatch(request, token)
