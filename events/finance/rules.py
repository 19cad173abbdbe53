"""Money decided together: an event's financial commitments and the
agreements they need before the event may be published.

The rule (from the partnership agreement): a line paid by the Ville de
Wimille, alone or shared, needs the town's authorisation (« Autoriser un
engagement financier de la ville », held by médiathèque roles); a shared
line also needs CLX's agreement (CLX – Coordination). Each decision is
taken by an account of the partner concerned (`events.permissions`), never
by superuser status. A line stays on the event it was proposed for;
changing its object, amount, payer or document asks for every agreement
again (logged). A CLX account changes only the lines CLX proposed, and not
at all a line already agreed on once its event is live: the agreed values
stay in force, the change is asked of the médiathèque or proposed as a new
line. Everyone concerned is told by e-mail (`events.finance.emails`) when a
line is proposed, changed, authorised or refused. Until every line is
settled the event cannot go live by any route: Wagtail's publish action,
scheduled publishing, bulk actions, workflow approval and live copies all end
in saving the page with a new live revision (or in scheduling a revision),
and `guard_page` / `guard_revision` refuse exactly that. Every decision is
logged (who, when, comment) in `CommitmentDecision`.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events import permissions
from events.agenda import recurrence
from events.finance import emails as finance_emails
from events.models.finance import CommitmentDecision, FinancialCommitment, format_euros
from events.models.pages import EventPage
from portal.errors import Refused

Agreement = FinancialCommitment.Agreement
Kind = CommitmentDecision.Kind


class PublishBlocked(PermissionDenied):
    """The event has commitments still waiting for an agreement."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class DecisionRefused(Refused):
    """A partner's decision on a line that cannot be taken as asked."""

    status = 403


class ChangeRefused(DecisionRefused):
    """This account may not change this line (now)."""


# -- What an event still needs --------------------------------------------------


def unsettled(lines):
    return [line for line in lines if not line.is_settled]


def pending_lines(event_id):
    return unsettled(FinancialCommitment.objects.filter(event_id=event_id))


def block_message(lines):
    """The French reason an event with these unsettled lines cannot go
    live, or "" when nothing is missing."""
    lines = unsettled(lines)
    if not lines:
        return ""
    missing = []
    for line in lines:
        needs = []
        if line.needs_town and line.town_status != Agreement.GIVEN:
            needs.append(_("l'autorisation de la ville"))
        if line.needs_clx and line.clx_status != Agreement.GIVEN:
            needs.append(_("l'accord de CLX"))
        missing.append(
            _("« %(label)s » (%(amount)s) attend %(needs)s")
            % {
                "label": line.label,
                "amount": format_euros(line.amount),
                "needs": _(" et ").join(needs),
            }
        )
    return ngettext(
        "Publication impossible : un engagement financier n'est pas encore "
        "autorisé. %(lines)s.",
        "Publication impossible : %(count)s engagements financiers ne sont pas "
        "encore autorisés. %(lines)s.",
        len(lines),
    ) % {"count": len(lines), "lines": " ; ".join(missing)}


def ensure_publishable(event_id):
    message = block_message(FinancialCommitment.objects.filter(event_id=event_id))
    if message:
        raise PublishBlocked(message)


# -- The guards every publication route meets -------------------------------------


def _goes_live(page):
    """The page is being saved live with a live revision it did not have."""
    if not page.live or page.pk is None:
        return False
    row = (
        EventPage.objects.filter(pk=page.pk).values("live", "live_revision_id").first()
    )
    if row is None:
        return False
    return not row["live"] or row["live_revision_id"] != page.live_revision_id


def guard_page(sender, instance, **kwargs):
    """pre_save of EventPage: refuse to make it live while a line waits."""
    if kwargs.get("raw"):
        return
    if _goes_live(instance):
        ensure_publishable(instance.pk)


def guard_revision(sender, instance, **kwargs):
    """pre_save of Revision: refuse to schedule an event's publication
    while a line waits (the scheduler would otherwise meet the refusal)."""
    if kwargs.get("raw") or instance.approved_go_live_at is None:
        return
    event_type = ContentType.objects.get_for_model(EventPage)
    if instance.content_type_id == event_type.pk:
        ensure_publishable(instance.object_id)


# -- Proposing and deciding -------------------------------------------------------


def _log(line, kind, user, comment=""):
    return CommitmentDecision.objects.create(
        commitment=line, kind=kind, user=user, comment=comment or ""
    )


def _ask_agreements(line):
    line.town_status = Agreement.PENDING if line.needs_town else Agreement.NOT_NEEDED
    line.clx_status = Agreement.PENDING if line.needs_clx else Agreement.NOT_NEEDED


def _unschedule(line):
    # A publication scheduled before this line existed would go live
    # without the agreements: cancel it, staff schedule again once agreed.
    if not line.is_settled:
        line.event.revisions.filter(approved_go_live_at__isnull=False).update(
            approved_go_live_at=None
        )


# What the agreements are given to: changing any of them asks for them again.
AGREEMENT_FIELDS = ("label", "amount", "payer", "document")


def _was_agreed(line):
    return Agreement.GIVEN in (line.town_status, line.clx_status)


def change_refusal(line, user):
    """Why `user` may not change this line, in French, or "" if they may."""
    if not permissions.may_change_commitment(user, line):
        return _(
            "Cette dépense a été proposée par la médiathèque : seule la "
            "médiathèque peut la modifier."
        )
    if (
        line.event.live
        and _was_agreed(line)
        and not permissions.may_authorise_for_town(user)
    ):
        return _(
            "« %(label)s » est déjà accordée et l'événement est en ligne : le "
            "montant accordé reste en vigueur. Pour le changer, écrivez à la "
            "médiathèque, ou proposez une nouvelle ligne pour un complément."
        ) % {"label": line.label}
    return ""


@transaction.atomic
def save_line(line, user, changed_fields=()):
    """Record a new line or a change to one. A new line, or a change to
    what was agreed on, asks for the agreements it needs (again) and tells
    who must decide. A line never moves to another event."""
    if line.pk is None:
        line.created_by = user
        _ask_agreements(line)
        line.save()
        _log(line, Kind.PROPOSED, user)
        finance_emails.send_step(line, Kind.PROPOSED, user)
    else:
        stored = FinancialCommitment.objects.select_for_update().get(pk=line.pk)
        if line.event_id != stored.event_id:
            raise ChangeRefused(
                _(
                    "Une dépense reste sur l'événement pour lequel elle a été "
                    "proposée : supprimez-la et proposez-la sur l'autre événement."
                ),
                400,
            )
        refusal = change_refusal(stored, user) if user is not None else ""
        if refusal:
            raise ChangeRefused(refusal)
        if set(changed_fields) & set(AGREEMENT_FIELDS):
            _ask_agreements(line)
            line.save()
            _log(line, Kind.CHANGED, user)
            finance_emails.send_step(line, Kind.CHANGED, user)
        else:
            line.save()
    _unschedule(line)
    return line


def _decide(line, user, *, party, give, comment):
    if party == "town":
        if not permissions.may_authorise_for_town(user):
            raise DecisionRefused(
                _("Seule la médiathèque peut autoriser une dépense de la ville.")
            )
        if not line.needs_town:
            raise DecisionRefused(
                _("Cette dépense n'est pas à la charge de la ville."), 400
            )
        field, kind = (
            "town_status",
            (Kind.TOWN_AUTHORISED if give else Kind.TOWN_REFUSED),
        )
    else:
        if not permissions.may_agree_for_clx(user):
            raise DecisionRefused(
                _("Seule la coordination de CLX peut donner l'accord de CLX.")
            )
        if not line.needs_clx:
            raise DecisionRefused(_("Cette dépense n'est pas partagée."), 400)
        field, kind = "clx_status", (Kind.CLX_AGREED if give else Kind.CLX_REFUSED)
    comment = (comment or "").strip()
    if not give and not comment:
        raise DecisionRefused(_("Indiquez pourquoi la dépense est refusée."), 400)
    with transaction.atomic():
        line = FinancialCommitment.objects.select_for_update().get(pk=line.pk)
        setattr(line, field, Agreement.GIVEN if give else Agreement.REFUSED)
        line.save(update_fields=[field])
        decision = _log(line, kind, user, comment)
        finance_emails.send_step(line, kind, user, decision.comment)
    return line


def authorise_town(line, user, comment=""):
    return _decide(line, user, party="town", give=True, comment=comment)


def refuse_town(line, user, comment):
    return _decide(line, user, party="town", give=False, comment=comment)


def agree_clx(line, user, comment=""):
    return _decide(line, user, party="clx", give=True, comment=comment)


def refuse_clx(line, user, comment):
    return _decide(line, user, party="clx", give=False, comment=comment)


def copy_lines(source_id, copy):
    """Copy an event's lines onto its copy, each asking for its agreements
    again (an agreement is given to one event, not to its copies)."""
    for line in FinancialCommitment.objects.filter(event_id=source_id):
        clone = FinancialCommitment(
            event=copy,
            label=line.label,
            amount=line.amount,
            payer=line.payer,
            document=line.document,
        )
        save_line(clone, None)


# -- The yearly export ------------------------------------------------------------


def year_bounds(year):
    """The local calendar year as aware [start, end)."""
    return (
        recurrence.localize(datetime.datetime(year, 1, 1)),
        recurrence.localize(datetime.datetime(year + 1, 1, 1)),
    )
