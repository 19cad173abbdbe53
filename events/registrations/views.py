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
from events.registrations import rules
from events.registrations.forms import RegistrationForm
from events.signed_link_views import SignedLinkView, crumbs, message_page
from portal import fragments, ratelimit
from portal.clientip import client_ip

MESSAGE_TEMPLATE = "events/registrations/message.html"


def _message_page(request, event, title, message, status, **extra):
    return message_page(
        request, MESSAGE_TEMPLATE, event, title, message, status, **extra
    )


def _closed_page(request, event, reason):
    response = _message_page(
        request,
        event,
        _("Inscription impossible"),
        reason.message,
        reason.status,
    )
    if isinstance(reason, rules.TooManyRegistrations):
        response["Retry-After"] = str(reason.retry_after)
    return response


def _hold_minutes():
    return int(rules.hold_duration().total_seconds() // 60)


@never_cache
@csrf_protect
@ratelimit.limit_address("registration-address")
@fragments.form_page("registration-form")
def registration_form(request, slug):
    """GET shows the form, POST registers and says « confirmez votre
    inscription » (seats held, or the waiting list asked for) until the
    mail's link is followed. ``?date=`` (or the posted
    occurrence) must be a stored date of the event: anything else is a
    French 404, answered with one indexed query."""
    if request.method not in ("GET", "HEAD", "POST"):
        return _message_page(
            request, None, _("Inscription"), _("Méthode non autorisée."), 405
        )
    event = (
        EventPage.objects.live()
        .public()
        .select_related("venue")
        .filter(slug=slug)
        .order_by("path")
        .first()
    )
    if event is None:
        return _message_page(
            request,
            None,
            _("Inscription"),
            _("Cet événement n'existe pas ou n'est plus publié."),
            404,
        )
    now = timezone.now()
    posted = request.method == "POST"
    key = (request.POST.get("occurrence") if posted else request.GET.get("date")) or ""
    # In a query string an unencoded « + » of the UTC offset arrives as a space.
    key = key.strip().replace(" ", "+")

    if event.capacity is None:
        return _closed_page(request, event, rules.closed_reason(event, None, now))

    selected = None
    if key:
        selected = event.get_occurrence(key)
        registration_list, taken = (
            rules.occurrence_states(event, [selected])[selected.start]
            if selected
            else (None, 0)
        )
        reason = rules.closed_reason(event, selected, now, registration_list)
        if reason:
            return _closed_page(request, event, reason)
        choices = [(selected, max(0, event.capacity - taken))]
    else:
        choices = rules.open_occurrences(event, now)
        if not choices:
            return _message_page(
                request,
                event,
                _("Inscription"),
                _("Aucune séance n'est ouverte aux inscriptions pour le moment."),
                404 if posted else 200,
            )
        if len(choices) == 1:
            selected = choices[0][0]
    occurrences = [occurrence for occurrence, _free in choices]

    form = RegistrationForm(
        request.POST if posted else None,
        event=event,
        occurrences=occurrences,
        selected=selected,
    )
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            ratelimit.hit("registration-email", data["email"])
            try:
                outcome = rules.register(
                    event,
                    form.chosen_occurrence,
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    seats=data["seats"],
                    client=client_ip(request),
                    now=now,
                )
            except rules.RegistrationClosed as reason:
                return _closed_page(request, event, reason)
            except rules.SeatsUnavailable as error:
                form.add_error("seats", error.message)
                status = 409
            else:
                return render(
                    request,
                    "events/registrations/requested.html",
                    {
                        "event": event,
                        "registration": outcome.registration,
                        "occurrence": form.chosen_occurrence,
                        "hold_minutes": _hold_minutes(),
                        "crumbs": crumbs(event),
                    },
                )
    # Bands, never the number of free seats (see rules.Availability).
    public = rules.public_occurrences(event, choices)
    return render(
        request,
        "events/registrations/form.html",
        {
            "event": event,
            "form": form,
            "selected": selected,
            "selected_availability": next(
                (band for occurrence, band in public if occurrence is selected), None
            ),
            "choices": public,
            "hold_minutes": _hold_minutes(),
            "crumbs": crumbs(event),
        },
        status=status,
    )


class RegistrationLinkView(SignedLinkView):
    """A registration's signed link (cancel or manage, by its salt)."""

    message_template_name = MESSAGE_TEMPLATE
    invalid_link_errors = (rules.InvalidCancelLink,)
    salt = rules.CANCEL_SALT
    started_message = gettext_lazy(
        "L'atelier a déjà commencé ou est passé : il ne peut plus être annulé."
    )

    def find(self, token):
        return rules.registration_for_token(token, salt=self.salt)

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
                "crumbs": crumbs(self.event),
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

    salt = rules.CONFIRM_SALT
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
                "crumbs": crumbs(self.event),
            },
        )

    def post(self, request, token):
        try:
            outcome = rules.confirm(self.booking, now=self.now)
        except rules.InvalidCancelLink as error:
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
                "crumbs": crumbs(self.event),
            },
        )


confirm_registration = ConfirmRegistrationView.as_view()
