"""A registration's private links (cancel, confirm, manage), in the manner
of django.contrib.auth.tokens: each signs the registration's public id
under its own salt (portal.signed_links). The salts never change, or the
links already mailed would stop working. The rules and the e-mails both
read them here."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Registration
from portal.errors import Refused
from portal.signed_links import SignedLink

CANCEL_SALT = "events.registration.cancel"
MANAGE_SALT = "events.registration.manage"
CONFIRM_SALT = "events.registration.confirm"
# A cancel link stays valid long enough for events announced months ahead.
CANCEL_LINK_MAX_AGE = timedelta(days=400)


class InvalidCancelLink(Refused):
    """A registration's cancel, manage or confirm link that cannot be used."""


class RegistrationLink(SignedLink):
    """A registration's private link: its public id, signed under the
    link's salt; it opens while the registration exists, for
    `CANCEL_LINK_MAX_AGE`."""

    max_age = CANCEL_LINK_MAX_AGE
    error = InvalidCancelLink

    def label(self):
        return _("Ce lien")

    def value(self, registration):
        return registration.public_id.hex

    def find(self, public_id):
        return (
            Registration.objects.select_related("event")
            .filter(public_id=public_id)
            .first()
        )

    def expired_message(self):
        return _(
            "%(link)s a expiré. Pour modifier ou annuler votre inscription, "
            "contactez la médiathèque."
        ) % {"link": self.label()}

    def invalid_message(self):
        return _(
            "%(link)s n'est pas valide. Vérifiez qu'il est complet "
            "(copiez-le en entier depuis l'e-mail reçu)."
        ) % {"link": self.label()}

    def gone_message(self):
        return _(
            "Cette inscription n'existe plus : les données des inscriptions "
            "sont effacées après l'atelier."
        )


class CancelLink(RegistrationLink):
    salt = CANCEL_SALT

    def label(self):
        return _("Ce lien d'annulation")


class ConfirmLink(RegistrationLink):
    """The confirmation mail's link; it works while the hold lasts."""

    salt = CONFIRM_SALT

    def label(self):
        return _("Ce lien de confirmation")

    def gone_message(self):
        return hold_expired_message()


class ManageLink(RegistrationLink):
    """The « gérer mon inscription » link; it works until the registration
    is cancelled or the occurrence starts."""

    salt = MANAGE_SALT


cancel_link = CancelLink()
confirm_link = ConfirmLink()
manage_link = ManageLink()
LINKS = {link.salt: link for link in (cancel_link, confirm_link, manage_link)}


def cancel_token(registration):
    return cancel_link.make_token(registration)


def confirm_token(registration):
    return confirm_link.make_token(registration)


def manage_token(registration):
    return manage_link.make_token(registration)


def hold_expired_message():
    return _(
        "Ce lien de confirmation n'est plus valable : l'inscription n'a pas "
        "été confirmée dans les %(minutes)d minutes. Elle a été effacée et "
        "ses places proposées à d'autres personnes. Vous pouvez vous "
        "inscrire à nouveau depuis la page de l'atelier."
    ) % {"minutes": settings.REGISTRATION_HOLD_MINUTES}


def hold_expired():
    return InvalidCancelLink(hold_expired_message(), 410)


def registration_for_token(token, salt=CANCEL_SALT, now=None):
    """The registration a cancel (or, with MANAGE_SALT, manage; with
    CONFIRM_SALT, confirm) link points at, or InvalidCancelLink with a French
    message and the status to answer."""
    now = now or timezone.now()
    link = LINKS[salt]
    registration = link.object_for(token)
    if (
        link is confirm_link
        and registration.awaits_confirmation
        and registration.hold_expires_at <= now
    ):
        raise hold_expired()
    return registration
