"""Who is told by e-mail about a financial commitment, at each step.

Everyone concerned by a line hears of each step, except the person who
took it: its proposer, the médiathèque's people who authorise town spending
when the town pays (alone or shared), CLX – Coordination when the line is
shared. Steps: proposed, changed (agreements asked again), and each
authorisation, agreement or refusal with its comment. The link opens the
line in the admin, which every role that may propose or decide can see.
Plain Django mail: the configured backend queues it with the transaction.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from events import permissions
from events.models.finance import CommitmentDecision, format_euros
from portal import mail

Kind = CommitmentDecision.Kind

SUBJECTS = {
    Kind.PROPOSED: _("Dépense à autoriser : %(label)s (%(amount)s)"),
    Kind.CHANGED: _("Dépense modifiée, à autoriser de nouveau : %(label)s"),
    Kind.TOWN_AUTHORISED: _("Dépense autorisée par la ville : %(label)s"),
    Kind.TOWN_REFUSED: _("Dépense refusée par la ville : %(label)s"),
    Kind.CLX_AGREED: _("Accord de CLX donné : %(label)s"),
    Kind.CLX_REFUSED: _("Dépense refusée par CLX : %(label)s"),
}


def _holders(permission):
    """Active accounts whose role (group) holds `permission`."""
    app_label, codename = permission.split(".")
    return get_user_model().objects.filter(
        is_active=True,
        groups__permissions__content_type__app_label=app_label,
        groups__permissions__codename=codename,
    )


def recipients(line, actor=None):
    """Addresses of everyone concerned by the line, but the actor."""
    people = []
    if line.created_by is not None and line.created_by.is_active:
        people.append(line.created_by)
    if line.needs_town:
        people.extend(_holders(permissions.AUTHORISE_TOWN_COMMITMENTS))
    if line.needs_clx:
        people.extend(_holders(permissions.AGREE_CLX_COMMITMENTS))
    actor_pk = getattr(actor, "pk", None)
    return sorted(
        {person.email for person in people if person.email and person.pk != actor_pk}
    )


def send_step(line, kind, actor=None, comment=""):
    """Tell everyone concerned that `kind` happened to `line`."""
    if not (line.needs_town or line.needs_clx):
        return  # CLX alone pays: nothing to decide, nobody to tell
    to = recipients(line, actor)
    if not to:
        return
    amount = format_euros(line.amount)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "line": line,
        "kind": kind,
        "kind_label": Kind(kind).label,
        "amount": amount,
        "who": (actor.get_full_name() or actor.get_username()) if actor else "",
        "comment": comment,
        "event": line.event,
        "url": base + reverse("commitments:inspect", args=(line.pk,)),
    }
    message = EmailMessage(
        subject=SUBJECTS[kind] % {"label": line.label, "amount": amount},
        body=render_to_string("events/finance/email/commitment_step.txt", context),
        to=to,
    )
    mail.concerning(message, line).send()
