"""Who gets a badge, and how it is taken back.

Rules:
- Only holders of `resources.award_badge` issue, approve, decline or revoke
  (the views check it; these functions trust their caller).
- A person holds a given badge at most once while it is valid: awarding it
  again to the same e-mail (not revoked) is refused.
- A CSV file (name,email) is all or nothing: every bad row is reported with
  its line number and, if there is one, nothing of the file is issued. The
  badge class row is locked for the time of the import so that two imports
  running together cannot award the same person twice.
- Erasing a recipient (RGPD): their pending and decided requests are deleted;
  their assertions lose the e-mail and the name but keep the salted hash, so a
  badge already in the holder's backpack still verifies (they alone know the
  e-mail that matches the hash). With `revoke=True` the assertions are also
  revoked.
- Every assertion also gets its Open Badges 3.0 credential, signed in the
  transaction that creates it (resources/credentials/issuing.py).
- Mails go out with the decision: sent inside its transaction, they are
  queued with it (portal.mail) and delivered only if it commits.
"""

import csv
import io
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Registration
from portal import auditlog, formats

from . import openbadges
from .credentials import issuing as credentials
from .models import BadgeAssertion, BadgeClass, BadgeRequest

MAX_CSV_ROWS = 5000
HEADER_NAMES = {"name", "nom", "email", "e-mail", "courriel", "mail"}


class AwardingError(Exception):
    """A decision that cannot be taken (already decided, already held…)."""


class CsvImportError(AwardingError):
    def __init__(self, errors):
        self.errors = errors  # list of (line number, message)
        super().__init__("; ".join(f"ligne {n} : {m}" for n, m in errors))


@dataclass
class Recipient:
    line: int
    name: str
    email: str


def normalise_email(email):
    return (email or "").strip().lower()


def holds_badge(badge_class, email):
    return BadgeAssertion.objects.filter(
        badge_class=badge_class,
        recipient_email=normalise_email(email),
        revoked=False,
    ).exists()


def _expiry(badge_class, issued_on):
    if badge_class.validity_months:
        return issued_on + relativedelta(months=badge_class.validity_months)
    return None


def issue(
    badge_class,
    *,
    email,
    name="",
    show_name=False,
    evidence_narrative="",
    evidence_url="",
    awarded_by=None,
    source=BadgeAssertion.Source.ADMIN,
    issued_on=None,
    credential_batch=None,
):
    """Create one assertion and its Open Badges 3.0 credential. The caller
    holds the transaction; several awards share one `credential_batch`."""
    email = normalise_email(email)
    validate_email(email)
    if holds_badge(badge_class, email):
        raise AwardingError(
            _("%(email)s a déjà le badge « %(badge)s ».")
            % {"email": email, "badge": badge_class.name}
        )
    issued_on = issued_on or timezone.now()
    assertion = BadgeAssertion(
        badge_class=badge_class,
        recipient_name=name.strip(),
        show_name=show_name,
        issued_on=issued_on,
        expires=_expiry(badge_class, issued_on),
        evidence_narrative=evidence_narrative,
        evidence_url=evidence_url,
        awarded_by=awarded_by,
        source=source,
    )
    assertion.set_recipient(email)
    assertion.save()
    credentials.issue(assertion, credential_batch)
    return assertion


def award_one(badge_class, *, request=None, notify=True, **fields):
    with transaction.atomic():
        BadgeClass.objects.select_for_update().get(pk=badge_class.pk)
        assertion = issue(badge_class, **fields)
        if notify:
            send_assertion_email(assertion, request)
    return assertion


# --- Learners' requests ----------------------------------------------------


def has_pending_request(badge_class, email):
    """A request for this badge from this address (any letter case) still
    waits for staff: a second one is not stored."""
    return BadgeRequest.objects.filter(
        badge_class=badge_class,
        email__iexact=email.strip(),
        status=BadgeRequest.Status.PENDING,
    ).exists()


def award_badge_holders():
    """Active users with an e-mail address who may award badges (staff told
    of requests by resources.request_notices)."""
    User = get_user_model()
    permission = Permission.objects.get(
        content_type__app_label="resources", codename="award_badge"
    )
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions=permission)
            | Q(groups__permissions=permission)
        )
        .distinct()
    )


def _locked_pending(badge_request):
    locked = BadgeRequest.objects.select_for_update().get(pk=badge_request.pk)
    if locked.status != BadgeRequest.Status.PENDING:
        raise AwardingError(_("Cette demande a déjà été traitée."))
    return locked


def approve_request(badge_request, user, request=None):
    with transaction.atomic():
        locked = _locked_pending(badge_request)
        BadgeClass.objects.select_for_update().get(pk=locked.badge_class_id)
        assertion = issue(
            locked.badge_class,
            email=locked.email,
            name=locked.name,
            show_name=locked.show_name,
            evidence_narrative=locked.evidence_text,
            evidence_url=locked.evidence_url,
            awarded_by=user,
            source=BadgeAssertion.Source.REQUEST,
        )
        locked.status = BadgeRequest.Status.APPROVED
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.assertion = assertion
        locked.save()
        send_assertion_email(assertion, request)
    return assertion


def decline_request(badge_request, user, message):
    with transaction.atomic():
        locked = _locked_pending(badge_request)
        locked.status = BadgeRequest.Status.DECLINED
        locked.decision_message = message
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.save()
        send_mail(
            _("Votre demande de badge « %(badge)s »")
            % {"badge": locked.badge_class.name},
            render_to_string(
                "resources/badges/emails/request_declined.txt",
                {"badge_request": locked},
            ),
            None,
            [locked.email],
        )
    return locked


def send_assertion_email(assertion, request=None):
    if not assertion.recipient_email:
        return 0
    context = {
        "assertion": assertion,
        "verify_url": openbadges.absolute(
            reverse("resources:assertion_verify", args=[assertion.uid]), request
        ),
        "image_url": openbadges.absolute(
            reverse("resources:assertion_image", args=[assertion.uid]), request
        ),
        "assertion_url": openbadges.assertion_id(assertion, request),
        "credential_json_url": openbadges.absolute(
            reverse("resources:credential_json", args=[assertion.uid]), request
        ),
        "credential_png_url": openbadges.absolute(
            reverse("resources:credential_png", args=[assertion.uid]), request
        ),
        "credential_svg_url": openbadges.absolute(
            reverse("resources:credential_svg", args=[assertion.uid]), request
        ),
    }
    return send_mail(
        _("Vous avez obtenu le badge « %(badge)s »")
        % {"badge": assertion.badge_class.name},
        render_to_string("resources/badges/emails/assertion_issued.txt", context),
        None,
        [assertion.recipient_email],
    )


# --- Revocation and erasure ------------------------------------------------


def revoke(assertion, reason):
    reason = (reason or "").strip()
    if not reason:
        raise AwardingError(_("Indiquez le motif de la révocation."))
    with transaction.atomic():
        locked = BadgeAssertion.objects.select_for_update().get(pk=assertion.pk)
        if locked.revoked:
            raise AwardingError(_("Ce badge est déjà révoqué."))
        locked.revoked = True
        locked.revocation_reason = reason
        locked.revoked_on = timezone.now()
        locked.save()
    return locked


def erase_recipient(email, revoke_assertions=False):
    """Returns (assertions anonymised, requests deleted)."""
    email = normalise_email(email)
    if not email:
        raise AwardingError(_("Indiquez une adresse e-mail."))
    now = timezone.now()
    with transaction.atomic():
        assertions = BadgeAssertion.objects.select_for_update().filter(
            recipient_email=email
        )
        count = 0
        for assertion in assertions:
            assertion.recipient_email = ""
            assertion.recipient_name = ""
            assertion.show_name = False
            assertion.evidence_narrative = ""
            assertion.evidence_url = ""
            assertion.erased_on = now
            credentials.erase(assertion)
            if revoke_assertions and not assertion.revoked:
                assertion.revoked = True
                assertion.revoked_on = now
                assertion.revocation_reason = (
                    "Données effacées à la demande du titulaire."
                )
            assertion.save()
            count += 1
        erased_assertions = [assertion.pk for assertion in assertions]
        requests = BadgeRequest.objects.filter(email__iexact=email)
        request_pks = list(requests.values_list("pk", flat=True))
        requests_deleted, _details = requests.delete()
        # The audit log keeps what happened, not who it was.
        auditlog.scrub(
            BadgeAssertion, erased_assertions, _("Badge d'une personne effacée")
        )
        auditlog.scrub(BadgeRequest, request_pks, _("Demande de badge effacée"))
    return count, requests_deleted


# --- Several people at once: CSV and attendance --------------------------


def _decode(data):
    if isinstance(data, str):
        return data
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvImportError([(1, _("le fichier n'est pas un texte lisible (UTF-8)."))])


def parse_csv(data, badge_class=None):
    """Read `name,email` rows (comma or semicolon, optional header line).
    Returns the recipients or raises CsvImportError listing every bad line."""
    text = _decode(data)
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    errors, recipients, seen = [], [], {}
    for line, row in enumerate(reader, start=1):
        cells = [cell.strip() for cell in row]
        if line == 1 and cells and {c.lower() for c in cells if c} <= HEADER_NAMES:
            continue
        if not any(cells):
            errors.append((line, _("ligne vide.")))
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            errors.append((line, _("il faut un nom et une adresse e-mail.")))
            continue
        if len(cells) > 2 and any(cells[2:]):
            errors.append((line, _("trop de colonnes (attendu : nom, e-mail).")))
            continue
        name, email = cells[0], normalise_email(cells[1])
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                (line, _("adresse e-mail invalide : « %(email)s ».") % {"email": email})
            )
            continue
        if email in seen:
            errors.append(
                (
                    line,
                    _("%(email)s figure déjà à la ligne %(first)s.")
                    % {"email": email, "first": seen[email]},
                )
            )
            continue
        seen[email] = line
        if badge_class is not None and holds_badge(badge_class, email):
            errors.append((line, _("%(email)s a déjà ce badge.") % {"email": email}))
            continue
        recipients.append(Recipient(line, name, email))
        if len(recipients) > MAX_CSV_ROWS:
            errors.append((line, _("fichier trop long (5 000 lignes au plus).")))
            break
    if errors:
        raise CsvImportError(errors)
    if not recipients:
        raise CsvImportError([(1, _("le fichier ne contient aucune personne."))])
    return recipients


def import_csv(
    badge_class,
    data,
    *,
    awarded_by=None,
    source=BadgeAssertion.Source.CSV,
    evidence_narrative="",
    request=None,
    notify=True,
):
    """All rows or none. Returns the assertions issued."""
    with transaction.atomic():
        BadgeClass.objects.select_for_update().get(pk=badge_class.pk)
        recipients = parse_csv(data, badge_class)
        batch = {}
        assertions = [
            issue(
                badge_class,
                email=recipient.email,
                name=recipient.name,
                evidence_narrative=evidence_narrative,
                awarded_by=awarded_by,
                source=source,
                credential_batch=batch,
            )
            for recipient in recipients
        ]
        if notify:
            for assertion in assertions:
                send_assertion_email(assertion, request)
    return assertions


def present_registrations(event, occurrence_start):
    return list(
        Registration.objects.filter(
            event=event, occurrence_start=occurrence_start, attended=True
        ).order_by("pk")
    )


def award_attendees(badge_class, event, occurrence_start, *, awarded_by, request=None):
    """Award everyone marked present at one occurrence. People who already
    hold the badge are skipped (and counted), not an error: the sheet is
    shared by every badge of the workshop. Returns (issued, skipped)."""
    issued, skipped = [], 0
    with transaction.atomic():
        BadgeClass.objects.select_for_update().get(pk=badge_class.pk)
        seen, batch = set(), {}
        for registration in present_registrations(event, occurrence_start):
            email = normalise_email(registration.email)
            if not email or email in seen or holds_badge(badge_class, email):
                skipped += 1
                continue
            seen.add(email)
            issued.append(
                issue(
                    badge_class,
                    email=email,
                    name=registration.name,
                    evidence_narrative=_(
                        "Présent(e) à l'atelier « %(event)s » du %(date)s."
                    )
                    % {
                        "event": event.title,
                        "date": formats.short_date(occurrence_start),
                    },
                    awarded_by=awarded_by,
                    source=BadgeAssertion.Source.EVENT,
                    credential_batch=batch,
                )
            )
        for assertion in issued:
            send_assertion_email(assertion, request)
    return issued, skipped
