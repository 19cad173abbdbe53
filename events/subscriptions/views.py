"""Public pages of the agenda by e-mail: the form, « check your mailbox »,
the confirmation page (a button: a GET never confirms) and the unsubscribe
page with its RFC 8058 one-click POST. The decisions are in
`events.subscriptions.rules`; these views translate them into pages."""

from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from events.signed_link_views import private_link
from events.subscriptions import rules
from events.subscriptions.forms import SubscriptionForm
from portal import ratelimit
from portal.public_forms import PublicFormView


def _message(request, title, message, status=200, done=False, **extra):
    context = {"title": title, "message": message, "done": done, **extra}
    return render(request, "events/subscriptions/message.html", context, status=status)


class SubscribeView(PublicFormView):
    """« Recevoir l'agenda par e-mail »: the form; a valid POST sends the
    confirmation mail and goes to the « check your mailbox » page."""

    form_class = SubscriptionForm
    template_name = "events/subscriptions/form.html"
    address_limit = "agenda-subscription-address"
    success_url = reverse_lazy("events:subscription_sent")

    def form_valid(self, form):
        data = form.cleaned_data
        # Past the limit, the French 429 page (portal.ratelimit), whoever owns
        # the address: it says nothing about a subscription.
        ratelimit.hit("agenda-subscription-email", data["email"].lower())
        rules.request_subscription(
            data["email"], data["frequency"], data["partners"], data["event_types"]
        )
        return redirect(self.get_success_url())


subscribe = never_cache(csrf_protect(SubscribeView.as_view()))


def subscription_sent(request):
    """The same answer for every address, new or already subscribed."""
    return _message(
        request,
        _("Vérifiez votre messagerie"),
        _(
            "Si l'adresse est valable, un e-mail vient d'y être envoyé. Ouvrez-le et "
            "suivez le lien pour confirmer : rien ne vous sera envoyé sans cette "
            "confirmation. Pas d'e-mail d'ici quelques minutes ? Regardez dans le "
            "dossier des indésirables, ou recommencez. Le lien est valable "
            "%(days)s jours."
        )
        % {"days": rules.PENDING_DAYS},
        done=True,
    )


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, key):
    """GET shows what will be confirmed and a button; only the POST of that
    button confirms (mail scanners follow links, they do not press buttons)."""
    try:
        if request.method == "POST":
            subscription = rules.confirm(key)
            return private_link(
                _message(
                    request,
                    _("Abonnement confirmé"),
                    _(
                        "C'est fait : vous recevrez l'agenda à l'adresse %(email)s, "
                        "%(frequency)s. Chaque e-mail contient un lien pour vous "
                        "désabonner."
                    )
                    % {
                        "email": subscription.email,
                        "frequency": subscription.get_frequency_display().lower(),
                    },
                    done=True,
                )
            )
        subscription = rules.pending_for(key)
    except rules.InvalidLink as error:
        return private_link(
            _message(
                request,
                _("Lien de confirmation inutilisable"),
                error.message,
                status=error.status,
                retry=True,
            )
        )
    context = {
        "subscription": subscription,
        "partners": list(subscription.partners.all()),
        "event_types": list(subscription.event_types.all()),
    }
    return private_link(render(request, "events/subscriptions/confirm.html", context))


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows a button; POST (the button, or a mail client's RFC 8058
    one-click request, which carries no CSRF token) erases the
    subscription."""
    try:
        if request.method == "POST":
            rules.unsubscribe(token)
            return private_link(
                _message(
                    request,
                    _("Vous êtes désabonné"),
                    _(
                        "Vous ne recevrez plus l'agenda par e-mail, et votre adresse "
                        "a été effacée de la liste."
                    ),
                    done=True,
                    retry=True,
                )
            )
        subscription = rules.subscription_for_unsubscribe(token)
    except rules.InvalidLink as error:
        return private_link(
            _message(
                request,
                _("Lien de désabonnement inutilisable"),
                error.message,
                status=error.status,
            )
        )
    if subscription is None:
        return private_link(
            _message(
                request,
                _("Déjà désabonné"),
                _("Cette adresse ne reçoit plus l'agenda : vous n'avez rien à faire."),
                done=True,
                retry=True,
            )
        )
    context = {
        "subscription": subscription,
        "action": reverse("events:subscription_unsubscribe", kwargs={"token": token}),
    }
    return private_link(
        render(request, "events/subscriptions/unsubscribe.html", context)
    )
