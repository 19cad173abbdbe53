"""The « gérer mon inscription » page, reached only through the signed link
the owner receives by e-mail: change the number of seats or cancel. The
decisions are in `events.registrations.rules`; this view turns them into pages."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.registrations import links, rules
from events.registrations.forms import ManageSeatsForm
from events.registrations.views import RegistrationLinkView
from events.signed_link_views import crumbs


class ManageRegistrationView(RegistrationLinkView):
    salt = links.MANAGE_SALT
    link_title = gettext_lazy("Gérer mon inscription")
    cancelled_title = gettext_lazy("Inscription annulée")
    cancelled_message = gettext_lazy(
        "Cette inscription est annulée. Vous pouvez vous réinscrire depuis "
        "la page de l'atelier."
    )
    started_message = gettext_lazy(
        "L'atelier a déjà commencé ou est passé : l'inscription ne change plus."
    )

    def get(self, request, token):
        form = ManageSeatsForm(initial={"seats": self.booking.seats}, event=self.event)
        return self.render_page(form, 200)

    def post(self, request, token):
        if request.POST.get("action") == "cancel":
            rules.cancel(self.booking)
            return self.cancelled_page()
        form = ManageSeatsForm(request.POST, event=self.event)
        if not form.is_valid():
            return self.render_page(form, 400)
        try:
            outcome = rules.change_seats(self.booking, form.cleaned_data["seats"])
        except rules.RegistrationClosed as reason:
            return self.message_page(
                self.event, self.link_title, reason.message, reason.status
            )
        except rules.SeatsUnavailable as error:
            form.add_error("seats", error.message)
            return self.render_page(form, 409)
        self.booking = outcome.registration
        form = ManageSeatsForm(initial={"seats": self.booking.seats}, event=self.event)
        message = _(
            "C'est noté : votre inscription compte maintenant %(n)d place(s)."
        ) % {"n": self.booking.seats}
        return self.render_page(form, 200, message)

    def render_page(self, form, status, message=""):
        return render(
            self.request,
            "events/registrations/manage.html",
            {
                "event": self.event,
                "registration": self.booking,
                "form": form,
                "message": message,
                "crumbs": crumbs(self.event),
            },
            status=status,
        )


manage_registration = ManageRegistrationView.as_view()
