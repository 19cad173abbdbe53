"""One view for the site's public forms (registration, appointment booking,
the agenda by e-mail, a volunteer's « Contacter », a badge request).

Every one of them follows the same steps: GET shows the empty form; every
POST first counts one hit of the visitor's address (`portal.ratelimit`,
the French 429 page beyond); a robot that filled the honeypot of a form
without a `honeypot_message` is thanked as a person would be, and nothing
is done; an invalid form comes back with its French errors and a 400; a
valid one is handed to the feature's rule. A rule's refusal
(`portal.errors.Refused`) becomes the feature's message page with the
refusal's status. A feature's view only says which form, which rule,
which templates."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from portal import ratelimit
from portal.errors import Refused

__all__ = ["PublicFormView"]


class PublicFormView(View):
    """A public form's page. Subclasses set `form_class` and
    `template_name`, and implement `form_valid(form)` (call the rule, answer
    with a page or a redirection); `prepare()` finds what the form is about
    (raising a `Refused` when there is nothing to fill in), and
    `get_context_data()` adds what the template shows beside the form."""

    http_method_names = ["get", "head", "post"]
    form_class = None
    template_name = None
    #: The French page that only says something (title, message), with the
    #: status of the refusal it tells; None for forms no rule refuses.
    message_template_name = None
    #: The title of the message page of a refusal.
    refused_title = _("Demande impossible")
    #: The limit of `portal.ratelimit` that every POST counts against the
    #: visitor's address, robots' and invalid ones included.
    address_limit = None
    #: Where a person (and a robot that filled the honeypot) goes once done.
    success_url = None

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and self.address_limit:
            ratelimit.hit_address(request, self.address_limit)
        try:
            return super().dispatch(request, *args, **kwargs)
        except Refused as refusal:
            return self.refused(refusal)

    def get(self, request, *args, **kwargs):
        self.prepare()
        return self.render_form(self.get_form(), 200)

    def post(self, request, *args, **kwargs):
        self.prepare()
        form = self.get_form()
        if form.is_bot and not form.honeypot_message:
            return self.robot_thanked(form)
        if not form.is_valid():
            return self.render_form(form, 400)
        return self.form_valid(form)

    # -- What a feature says ------------------------------------------------

    def prepare(self):
        """Find what the form is about (the event, the badge…), or raise a
        `Refused` for the message page."""

    def get_form_kwargs(self):
        kwargs = {}
        if self.request.method == "POST":
            kwargs["data"] = self.request.POST
        return kwargs

    def get_form(self):
        return self.form_class(**self.get_form_kwargs())

    def get_context_data(self, form):
        return {"form": form}

    def form_valid(self, form):
        raise NotImplementedError

    def get_success_url(self):
        return self.success_url

    def robot_thanked(self, form):
        """A robot gets the answer a person gets, and nothing is done."""
        return redirect(self.get_success_url())

    # -- Answers --------------------------------------------------------------

    def render_form(self, form, status):
        return render(
            self.request,
            self.template_name,
            self.get_context_data(form),
            status=status,
        )

    def refuse_field(self, form, field, message, status):
        """The form again, with a rule's refusal told next to `field`."""
        form.add_error(field, message)
        return self.render_form(form, status)

    def message_context(self):
        """What every message page of the form shows besides its message."""
        return {}

    def message_page(self, title, message, status, **extra):
        """A page that only says something (refused, done), with the
        status."""
        context = {
            **self.message_context(),
            "title": title,
            "message": message,
            **extra,
        }
        return render(self.request, self.message_template_name, context, status=status)

    def refused(self, refusal):
        """A rule's refusal as the message page, with its status."""
        return self.message_page(self.refused_title, refusal.message, refusal.status)
