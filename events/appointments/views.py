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
from events.signed_link_views import SignedLinkView, crumbs, message_page
from portal import fragments, ratelimit

ALLOWED_METHODS = ("GET", "HEAD", "POST")
MESSAGE_TEMPLATE = "events/appointments/message.html"


def _message_page(request, event, title, message, status, **extra):
    return message_page(
        request, MESSAGE_TEMPLATE, event, title, message, status, **extra
    )


def _slot_key(value):
    # In a query string an unencoded « + » of the UTC offset arrives as a space.
    return (value or "").strip().replace(" ", "+")[:40]


def _event(slug):
    return (
        EventPage.objects.live()
        .public()
        .filter(slug=slug)
        .select_related("venue")
        .first()
    )


@never_cache
@csrf_protect
@ratelimit.limit_address("appointment-address")
@fragments.form_page("appointment-form")
def book(request, slug):
    """GET shows the free slots and the form, POST books one and says
    « rendez-vous confirmé », as the mail does (the same page whoever the
    contact is: the mail tells an owner booked already what happened)."""
    event = _event(slug)
    if event is None or not rules.is_open(event):
        return _message_page(
            request,
            event,
            _("Rendez-vous"),
            _("Cet événement ne se réserve pas sur rendez-vous."),
            404,
        )
    if request.method not in ALLOWED_METHODS:
        return _message_page(
            request, event, _("Rendez-vous"), _("Méthode non autorisée."), 405
        )
    now = timezone.now()
    posted = request.method == "POST"
    form = AppointmentForm(
        request.POST if posted else None,
        initial={"slot": _slot_key(request.GET.get("creneau"))},
    )
    status = 200
    offered = None
    if posted:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            ratelimit.hit(
                "appointment-contact", rules.contact_key(data["email"], data["phone"])
            )
            try:
                booking = rules.book(
                    event,
                    data["slot"],
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    device=data["device"],
                    system=data["system"],
                    need=data["need"],
                    need_details=data["need_details"],
                    now=now,
                )
            except rules.AppointmentUnavailable as error:
                form.add_error("slot", error.message)
                form.fields["slot"].widget.attrs.update(
                    {"aria-describedby": "id_slot-erreurs", "aria-invalid": "true"}
                )
                status = error.status
                offered = error.next_slot
            else:
                return render(
                    request,
                    "events/appointments/result.html",
                    {
                        "event": event,
                        "slot": booking.slot,
                        "name": data["name"],
                        "email": data["email"],
                        "phone": data["phone"],
                        "crumbs": crumbs(event),
                    },
                )
    days = rules.bookable(event, now)
    chosen = offered.key if offered else (form["slot"].value() or "")
    return render(
        request,
        "events/appointments/form.html",
        {
            "event": event,
            "form": form,
            "days": days,
            "chosen": chosen,
            "offered": offered,
            "crumbs": crumbs(event),
        },
        status=status,
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
        days = rules.bookable(event, self.now, owner=appointment)
        for day in days:
            day.slots = [s for s in day.slots if s.start != appointment.slot_start]
        return render(
            self.request,
            "events/appointments/manage.html",
            {
                "event": event,
                "appointment": appointment,
                "form": form,
                "days": [day for day in days if day.slots],
                "chosen": form["slot"].value() or "",
                "crumbs": crumbs(event),
            },
            status=status,
        )


manage = ManageAppointmentView.as_view()
