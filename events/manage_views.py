"""The « gérer mon inscription » page, reached only through the signed link
the owner receives by e-mail: change the number of seats or cancel. The
decisions are in `events.registration`; this view turns them into pages."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from . import registration as rules
from .forms import ManageSeatsForm
from .registration_views import _crumbs, _message_page


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def manage_registration(request, token):
    try:
        registration = rules.registration_for_token(token, salt=rules.MANAGE_SALT)
    except rules.InvalidCancelLink as error:
        return _message_page(
            request, None, _("Gérer mon inscription"), error.message, error.status
        )
    event = registration.event.specific
    if registration.is_cancelled:
        return _message_page(
            request,
            event,
            _("Inscription annulée"),
            _(
                "Cette inscription est annulée. Vous pouvez vous réinscrire depuis "
                "la page de l'atelier."
            ),
            410,
        )
    if registration.occurrence_start <= timezone.now():
        return _message_page(
            request,
            event,
            _("Gérer mon inscription"),
            _("L'atelier a déjà commencé ou est passé : l'inscription ne change plus."),
            410,
        )
    form = ManageSeatsForm(initial={"seats": registration.seats}, event=event)
    status = 200
    message = ""
    if request.method == "POST" and request.POST.get("action") == "cancel":
        rules.cancel(registration)
        return _message_page(
            request,
            event,
            _("Inscription annulée"),
            _(
                "Votre inscription est annulée et vos places sont libérées pour "
                "d'autres personnes. Merci de nous avoir prévenus !"
            ),
            200,
            done=True,
        )
    if request.method == "POST":
        form = ManageSeatsForm(request.POST, event=event)
        status = 400
        if form.is_valid():
            try:
                outcome = rules.change_seats(registration, form.cleaned_data["seats"])
            except rules.RegistrationClosed as reason:
                return _message_page(
                    request,
                    event,
                    _("Gérer mon inscription"),
                    reason.message,
                    reason.status,
                )
            except rules.SeatsUnavailable as error:
                form.add_error("seats", error.message)
                status = 409
            else:
                registration = outcome.registration
                form = ManageSeatsForm(
                    initial={"seats": registration.seats}, event=event
                )
                status = 200
                message = _(
                    "C'est noté : votre inscription compte maintenant %(n)d place(s)."
                ) % {"n": registration.seats}
    return render(
        request,
        "events/registration/manage.html",
        {
            "event": event,
            "registration": registration,
            "position": rules.waiting_position(registration),
            "form": form,
            "message": message,
            "crumbs": _crumbs(event),
        },
        status=status,
    )
