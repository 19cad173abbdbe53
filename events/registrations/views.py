"""Public registration pages: the form under an event
(`/agenda/<event>/inscription/`), the confirmation link and the private
cancel link, plain URLs of `events/urls.py`.
The decisions are in `events.registrations.rules`; these views only translate
them into pages and HTTP statuses."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from events.models import EventPage
from events.registrations import links, rules
from events.registrations.forms import RegistrationForm
from events.signed_link_views import SignedLinkView, crumbs
from portal import fragments, ratelimit, routing
from portal.clientip import client_ip
from portal.errors import Refused
from portal.public_forms import PublicFormView

MESSAGE_TEMPLATE = "events/registrations/message.html"


class RegistrationFormView(PublicFormView):
    """GET shows the form, POST registers and says « confirmez votre
    inscription » (seats held, or the waiting list asked for) until the
    mail's link is followed. ``?date=`` (or the posted occurrence) must be
    a stored date of the event: anything else is a French 404, answered
    with one indexed query."""

    form_class = RegistrationForm
    template_name = "events/registrations/form.html"
    message_template_name = MESSAGE_TEMPLATE
    address_limit = "registration-address"
    event = None

    def http_method_not_allowed(self, request, *args, **kwargs):
        return self.message_page(_("Inscription"), _("Méthode non autorisée."), 405)

    def prepare(self):
        routing.find_site(self.request)  # before anything asks Wagtail
        self.event = EventPage.public_by_slug(
            self.kwargs["slug"], unrestricted=routing.known_unrestricted(self.request)
        )
        if self.event is None:
            raise Refused(_("Cet événement n'existe pas ou n'est plus publié."), 404)
        self.now = timezone.now()
        posted = self.request.method == "POST"
        key = (
            self.request.POST.get("occurrence")
            if posted
            else self.request.GET.get("date")
        ) or ""
        # In a query string an unencoded « + » of the UTC offset arrives as a
        # space.
        key = key.strip().replace(" ", "+")
        self.dates = rules.form_dates(self.event, key, self.now, posted=posted)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "event": self.event,
            "occurrences": self.dates.occurrences,
            "selected": self.dates.selected,
        }

    def get_context_data(self, form):
        return {
            "event": self.event,
            "form": form,
            "selected": self.dates.selected,
            "selected_availability": self.dates.selected_availability,
            "choices": self.dates.choices,
            "hold_minutes": self.dates.hold_minutes,
            "crumbs": crumbs(self.event, self.request),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        ratelimit.hit("registration-email", data["email"])
        try:
            outcome = rules.register(
                self.event,
                form.chosen_occurrence,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                seats=data["seats"],
                client=client_ip(self.request),
                now=self.now,
            )
        except rules.SeatsUnavailable as error:
            return self.refuse_field(form, "seats", error.message, 409)
        return render(
            self.request,
            "events/registrations/requested.html",
            {
                "event": self.event,
                "registration": outcome.registration,
                "occurrence": form.chosen_occurrence,
                "hold_minutes": self.dates.hold_minutes,
                "crumbs": crumbs(self.event, self.request),
            },
        )

    def message_context(self):
        return {"event": self.event, "crumbs": crumbs(self.event, self.request)}

    def refused(self, refusal):
        title = (
            _("Inscription impossible")
            if isinstance(refusal, rules.RegistrationClosed)
            and not isinstance(refusal, rules.NothingOpen)
            else _("Inscription")
        )
        response = self.message_page(title, refusal.message, refusal.status)
        if isinstance(refusal, rules.TooManyRegistrations):
            response["Retry-After"] = str(refusal.retry_after)
        return response


registration_form = never_cache(
    csrf_protect(
        fragments.form_page("registration-form")(RegistrationFormView.as_view())
    )
)


class RegistrationLinkView(SignedLinkView):
    """A registration's signed link (cancel or manage, by its salt)."""

    message_template_name = MESSAGE_TEMPLATE
    invalid_link_errors = (links.InvalidCancelLink,)
    salt = links.CANCEL_SALT
    started_message = gettext_lazy(
        "L'atelier a déjà commencé ou est passé : il ne peut plus être annulé."
    )

    def find(self, token):
        return links.registration_for_token(token, salt=self.salt)

    def get_event(self):
        return self.booking.event.specific

    def has_started(self, now):
        return self.booking.occurrence_start <= now

    def cancelled_page(self):
        """What the owner reads once the registration is cancelled."""
        return self.message_page(
            self.event,
            _("Inscription annulée"),
            _(
                "Votre inscription est annulée et vos places sont libérées pour "
                "d'autres personnes. Merci de nous avoir prévenus !"
            ),
            200,
            done=True,
        )


class CancelRegistrationView(RegistrationLinkView):
    """The private link of the e-mails: GET asks to confirm (mail scanners
    follow links, they must not cancel), POST cancels. Works once."""

    link_title = gettext_lazy("Lien d'annulation")
    cancelled_title = gettext_lazy("Inscription déjà annulée")
    cancelled_message = gettext_lazy(
        "Cette inscription est déjà annulée : ce lien ne sert qu'une fois. "
        "Vous pouvez vous réinscrire depuis la page de l'atelier."
    )

    def get(self, request, token):
        return render(
            request,
            "events/registrations/cancel.html",
            {
                "event": self.event,
                "registration": self.booking,
                "crumbs": crumbs(self.event, self.request),
            },
        )

    def post(self, request, token):
        rules.cancel(self.booking)
        return self.cancelled_page()


cancel_registration = CancelRegistrationView.as_view()


class ConfirmRegistrationView(RegistrationLinkView):
    """The link of the « confirmez votre inscription » mail: GET shows what
    is asked and a button (mail scanners follow links, they must not
    confirm), POST confirms the address and says what it got."""

    salt = links.CONFIRM_SALT
    link_title = gettext_lazy("Confirmer mon inscription")
    cancelled_title = gettext_lazy("Inscription annulée")
    cancelled_message = gettext_lazy(
        "Cette inscription est annulée. Vous pouvez vous réinscrire depuis "
        "la page de l'atelier."
    )
    started_message = gettext_lazy(
        "L'atelier a déjà commencé ou est passé : l'inscription ne change plus."
    )

    def get(self, request, token):
        if not self.booking.awaits_confirmation:
            return self.confirmed_page(self.booking)
        return render(
            request,
            "events/registrations/confirm.html",
            {
                "event": self.event,
                "registration": self.booking,
                "occurrence": self.event.get_occurrence(self.booking.occurrence_start),
                "crumbs": crumbs(self.event, self.request),
            },
        )

    def post(self, request, token):
        try:
            outcome = rules.confirm(self.booking, now=self.now)
        except links.InvalidCancelLink as error:
            return self.message_page(None, self.link_title, error.message, error.status)
        except rules.RegistrationClosed as reason:
            return self.message_page(
                self.event, self.link_title, reason.message, reason.status
            )
        return self.confirmed_page(outcome.registration)

    def confirmed_page(self, registration):
        return render(
            self.request,
            "events/registrations/result.html",
            {
                "event": self.event,
                "registration": registration,
                "occurrence": self.event.get_occurrence(registration.occurrence_start),
                "crumbs": crumbs(self.event, self.request),
            },
        )


confirm_registration = ConfirmRegistrationView.as_view()
