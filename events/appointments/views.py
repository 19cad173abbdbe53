"""Public appointment pages: booking a slot (`<event>/rendez-vous/`) and the
private « gérer mon rendez-vous » link (move, cancel). The decisions are in
`events.appointments.rules`; these views only translate them into pages and HTTP
statuses."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from events.appointments import rules
from events.appointments.forms import AppointmentForm, AppointmentMoveForm
from events.models import EventPage
from events.signed_link_views import SignedLinkView, crumbs
from portal import fragments, ratelimit, routing
from portal.errors import Refused
from portal.public_forms import PublicFormView

MESSAGE_TEMPLATE = "events/appointments/message.html"


def _slot_key(value):
    # In a query string an unencoded « + » of the UTC offset arrives as a space.
    return (value or "").strip().replace(" ", "+")[:40]


class BookingFormView(PublicFormView):
    """GET shows the free slots and the form, POST books one and says
    « rendez-vous confirmé », as the mail does (the same page whoever the
    contact is: the mail tells an owner booked already what happened)."""

    form_class = AppointmentForm
    template_name = "events/appointments/form.html"
    message_template_name = MESSAGE_TEMPLATE
    refused_title = gettext_lazy("Rendez-vous")
    address_limit = "appointment-address"
    offered = None

    def dispatch(self, request, *args, **kwargs):
        routing.find_site(request)  # before anything asks Wagtail
        self.event = EventPage.public_by_slug(
            kwargs["slug"], unrestricted=routing.known_unrestricted(request)
        )
        self.now = timezone.now()
        return super().dispatch(request, *args, **kwargs)

    def http_method_not_allowed(self, request, *args, **kwargs):
        self.prepare()
        return self.message_page(self.refused_title, _("Méthode non autorisée."), 405)

    def prepare(self):
        if self.event is None or not rules.is_open(self.event):
            raise Refused(_("Cet événement ne se réserve pas sur rendez-vous."), 404)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "initial": {"slot": _slot_key(self.request.GET.get("creneau"))},
        }

    def get_context_data(self, form):
        offered = self.offered
        return {
            "event": self.event,
            "form": form,
            "days": rules.bookable(self.event, self.now),
            "chosen": offered.key if offered else (form["slot"].value() or ""),
            "offered": offered,
            "crumbs": crumbs(self.event, self.request),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        ratelimit.hit(
            "appointment-contact", rules.contact_key(data["email"], data["phone"])
        )
        try:
            booking = rules.book(
                self.event,
                data["slot"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                device=data["device"],
                system=data["system"],
                need=data["need"],
                need_details=data["need_details"],
                now=self.now,
            )
        except rules.AppointmentUnavailable as error:
            form.fields["slot"].widget.attrs.update(
                {"aria-describedby": "id_slot-erreurs", "aria-invalid": "true"}
            )
            self.offered = error.next_slot
            return self.refuse_field(form, "slot", error.message, error.status)
        return render(
            self.request,
            "events/appointments/result.html",
            {
                "event": self.event,
                "slot": booking.slot,
                "name": data["name"],
                "email": data["email"],
                "phone": data["phone"],
                "crumbs": crumbs(self.event, self.request),
            },
        )

    def message_context(self):
        return {"event": self.event, "crumbs": crumbs(self.event, self.request)}


book = never_cache(
    csrf_protect(fragments.form_page("appointment-form")(BookingFormView.as_view()))
)


@method_decorator(ratelimit.limit_address("appointment-address"), name="dispatch")
class ManageAppointmentView(SignedLinkView):
    """The private link of the e-mails: GET shows the appointment, the other
    free slots and a cancel button (mail scanners follow links: nothing
    changes on GET); POST moves or cancels."""

    message_template_name = MESSAGE_TEMPLATE
    invalid_link_errors = (rules.InvalidManageLink,)
    link_title = gettext_lazy("Gérer mon rendez-vous")
    cancelled_title = gettext_lazy("Rendez-vous annulé")
    cancelled_message = gettext_lazy(
        "Ce rendez-vous est annulé. Vous pouvez en réserver un autre depuis "
        "la page de l'événement."
    )
    started_message = gettext_lazy(
        "Ce rendez-vous a déjà commencé ou est passé : il ne peut plus changer."
    )

    def find(self, token):
        return rules.appointment_for_token(token)

    def get_event(self):
        return self.booking.session.event.specific

    def has_started(self, now):
        return self.booking.slot_start <= now

    def get(self, request, token):
        return self.render_page(AppointmentMoveForm(), 200)

    def post(self, request, token):
        appointment, event, now = self.booking, self.event, self.now
        action = request.POST.get("action")
        if action == "cancel":
            rules.cancel(appointment, now=now)
            return self.message_page(
                event,
                _("Rendez-vous annulé"),
                _(
                    "Votre rendez-vous est annulé et le créneau libéré pour une autre "
                    "personne. Merci de nous avoir prévenus !"
                ),
                200,
                done=True,
            )
        if action != "move":
            return self.message_page(
                event,
                self.link_title,
                _("Choisissez « déplacer » ou « annuler » mon rendez-vous."),
                400,
            )
        form = AppointmentMoveForm(request.POST)
        if not form.is_valid():
            return self.render_page(form, 400)
        try:
            slot = rules.move(appointment, form.cleaned_data["slot"], now=now)
        except rules.AppointmentUnavailable as error:
            form.add_error("slot", error.message)
            return self.render_page(form, error.status)
        return self.message_page(
            event,
            _("Rendez-vous déplacé"),
            _("Votre rendez-vous est déplacé au %(slot)s.") % {"slot": slot.label},
            200,
            done=True,
        )

    def render_page(self, form, status):
        appointment, event = self.booking, self.event
        return render(
            self.request,
            "events/appointments/manage.html",
            {
                "event": event,
                "appointment": appointment,
                "form": form,
                "days": rules.move_choices(appointment, self.now),
                "chosen": form["slot"].value() or "",
                "crumbs": crumbs(event),
            },
            status=status,
        )


manage = ManageAppointmentView.as_view()
