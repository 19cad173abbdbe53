"""The « Contacter » rule: a visitor's message reaches a listed volunteer who
accepts contact, by e-mail, without the visitor ever seeing the address. One
address may post the form a few times an hour, and one volunteer receives a
few messages a day (limits "contact-address" and "contact-volunteer" of
portal.ratelimit, 429 beyond); robots that fill the honeypot are thanked and
their message dropped; links and markup are refused. Nothing is stored: the
message only travels by mail.

`ContactView` is the page the directory's route serves
(`VolunteerIndexPage.contact`): the site's public form view with this form
and this rule."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from portal import ratelimit
from portal.public_forms import PublicFormView

from .forms import ContactForm


def send(volunteer, form, request):
    """Mail the valid form's message to the volunteer, who receives a few a
    day (beyond, `RateLimited`: the French 429 page)."""
    ratelimit.hit("contact-volunteer", volunteer.pk)
    data = form.cleaned_data
    body = render_to_string(
        "volunteers/contact_email.txt",
        {"volunteer": volunteer, "data": data, "site_name": settings.WAGTAIL_SITE_NAME},
    )
    # A header holds one line: whatever whitespace the name carries (CR, LF)
    # becomes one space, so it can never add a header.
    name = " ".join(data["name"].split())
    EmailMessage(
        subject=_("[Atelier numérique] Message de %(name)s") % {"name": name},
        body=body,
        to=[volunteer.email],
        reply_to=[data["email"]],
    ).send()


class ContactView(PublicFormView):
    """GET shows the form; a valid POST mails the message to the volunteer
    and goes to « Message envoyé » (where a robot that filled the honeypot
    goes too, its message dropped)."""

    form_class = ContactForm
    template_name = "volunteers/volunteer_contact.html"
    address_limit = "contact-address"
    #: The directory page and the volunteer, given by the page's route.
    page = None
    volunteer = None

    def get_context_data(self, form):
        return {
            "page": self.page,
            "self": self.page,
            "volunteer": self.volunteer,
            "form": form,
        }

    def get_success_url(self):
        return self.page.url + self.page.reverse_subpage(
            "contact_sent", args=[self.volunteer.pk]
        )

    def form_valid(self, form):
        send(self.volunteer, form, self.request)
        return redirect(self.get_success_url())
