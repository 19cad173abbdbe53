"""Each awarded badge also as an Open Badges 3.0 credential: signing,
publishing the keys and status lists, and checking a credential.

Rules:
- `issue(assertion)` is called by resources/awarding.py in the transaction
  that creates the assertion, whatever the path (one, CSV, attendance sheet,
  approved request): it takes a status entry, signs the credential with the
  current key and stores the exact signed text. It is signed once; later
  changes to the badge or the issuer do not touch it.
- Revoking the assertion sets its bit in the published status list; the
  credential itself is not changed.
- Erasing the recipient empties the stored text (it held the evidence); the
  status entry stays, so a revocation still reaches copies held elsewhere.
- `check(text)` runs what a verifier runs, on our own published keys and
  lists, and says in French what was checked (the verification page).
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import BadgeAssertion, BadgeCredential, CredentialStatusList
from . import baking, dataintegrity, documents, keys, status


def issue(assertion, batch=None):
    """Sign and store the credential of a new assertion. `batch`, a dict
    the caller keeps for one import, holds the issuer profile and the
    achievement built for the first row, so a CSV file or an attendance
    sheet does not rebuild them (a few queries each) for every person."""
    key = keys.signing_key()
    status_list, index = status.allocate()
    if batch is None:
        batch = {}
    if "issuer" not in batch:
        batch["issuer"] = documents.issuer_profile()
    badge_class = assertion.badge_class
    if badge_class.pk not in batch:
        batch[badge_class.pk] = documents.achievement(badge_class)
    unsigned = documents.credential(
        assertion, status_list, index, batch["issuer"], batch[badge_class.pk]
    )
    method = documents.verification_method_id(key)
    signed, signed_data = dataintegrity.sign_with_data(
        unsigned, key.private_key, method, documents.iso(timezone.now())
    )
    text = dump(signed)
    return BadgeCredential.objects.create(
        assertion=assertion,
        document=text,
        verification_method=method,
        status_list=status_list,
        status_index=index,
        signed_data=signed_data.hex(),
        document_sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def dump(document):
    """The text served, downloaded and baked: always the same bytes."""
    return json.dumps(document, ensure_ascii=False, indent=2)


def erase(assertion):
    BadgeCredential.objects.filter(assertion=assertion).update(
        document="", signed_data="", document_sha256=""
    )


def key_document():
    return documents.controller_document(keys.all_keys())


def key_method_document(multibase):
    key = keys.find(multibase)
    return documents.multikey(key) if key else None


def status_list_document(status_list):
    """The signed status list credential, as published now."""
    encoded = status.encode(status_list.size, status.revoked_indexes(status_list))
    unsigned = documents.status_list_credential(status_list, encoded)
    key = keys.signing_key()
    return dataintegrity.sign(
        unsigned,
        key.private_key,
        documents.verification_method_id(key),
        documents.iso(timezone.now()),
    )


# --- Checking a credential (the verification page) -------------------------


@dataclass
class Check:
    label: str
    passed: bool
    detail: str = ""


@dataclass
class Report:
    checks: list = field(default_factory=list)

    @property
    def valid(self):
        return bool(self.checks) and all(check.passed for check in self.checks)

    def add(self, label, passed, detail=""):
        self.checks.append(Check(label, passed, detail))
        return passed


def _published_key(method):
    for key in keys.all_keys():
        if documents.verification_method_id(key) == method:
            return key.public_key
    raise dataintegrity.ProofError(
        _("La clé qui a signé n'est pas publiée par l'émetteur.")
    )


def _parse_date(value):
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None


def check(text, now=None, signed_data=None, status_list=None):
    """Verify a credential text with the site's published keys and status
    lists. Returns a Report of French-labelled checks. `signed_data`: the
    bytes its signature covers, when kept for this exact text
    (`BadgeCredential.known_signed_data`); `status_list`: the list it
    names, when already loaded."""
    now = now or timezone.now()
    report = Report()
    try:
        document = json.loads(text)
    except (TypeError, ValueError):
        report.add(_("Le document est un JSON lisible"), False)
        return report
    if not isinstance(document, dict):
        report.add(_("Le document est un JSON lisible"), False)
        return report
    try:
        dataintegrity.check_proof(document, _published_key, data=signed_data)
        report.add(
            _(
                "La signature numérique (eddsa-rdfc-2022) correspond au contenu, "
                "avec une clé publiée par l'émetteur"
            ),
            True,
            document["proof"]["verificationMethod"],
        )
    except dataintegrity.ProofError as error:
        report.add(_("La signature numérique correspond au contenu"), False, str(error))
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    report.add(
        _("L'émetteur est celui de ce site"),
        issuer_id == documents.controller_id(),
        str(issuer_id or ""),
    )
    valid_from = _parse_date(document.get("validFrom"))
    valid_until = _parse_date(document.get("validUntil"))
    in_period = valid_from is not None and valid_from <= now
    if valid_until is not None:
        in_period = in_period and now < valid_until
    report.add(_("La date du jour est dans la période de validité"), in_period)
    report.add(*_status_check(document, status_list))
    return report


def _status_check(document, known_list=None):
    label = _("Le badge n'est pas révoqué (liste de statut publiée)")
    entry = document.get("credentialStatus")
    if not isinstance(entry, dict):
        return label, False, _("Pas d'entrée de statut.")
    list_url = entry.get("statusListCredential", "")
    try:
        index = int(entry.get("statusListIndex"))
        pk = int(list_url.rstrip("/").rsplit("/", 1)[-1])
        if known_list is not None and known_list.pk == pk:
            status_list = known_list
        else:
            status_list = CredentialStatusList.objects.get(pk=pk)
    except (TypeError, ValueError, CredentialStatusList.DoesNotExist):
        return label, False, _("Liste de statut inconnue.")
    if list_url != documents.status_list_id(status_list) or index >= status_list.size:
        return label, False, _("Liste de statut inconnue.")
    # The bit the published list sets for this entry (status.encode), read
    # without encoding the whole list.
    if status.is_revoked(status_list, index):
        return label, False, _("L'émetteur a révoqué ce badge.")
    return label, True, list_url


# --- Downloads ---------------------------------------------------------------


def _badge_png(badge_class):
    with badge_class.image.open_file() as handle:
        return handle.read()


def _stored(name, build):
    """Build a download once and keep it in storage: the credential never
    changes, so neither does its baked image."""
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    data = build()
    default_storage.save(name, ContentFile(data))
    return data


def _stored_name(credential, extension):
    digest = hashlib.sha256(credential.document.encode()).hexdigest()[:20]
    return f"badges/baked-ob3/{credential.assertion.uid}-{digest}.{extension}"


def baked_png(credential):
    return _stored(
        _stored_name(credential, "png"),
        lambda: baking.bake_png(
            _badge_png(credential.assertion.badge_class), credential.document
        ),
    )


def baked_svg(credential):
    badge_class = credential.assertion.badge_class
    return _stored(
        _stored_name(credential, "svg"),
        lambda: baking.bake_svg(
            _badge_png(badge_class), credential.document, badge_class.name
        ),
    )


def verification(assertion):
    """The checks of the assertion's credential for the verification page,
    or None when it has none (awarded before 3.0, or erased). The assertion
    may come with its credential and status list already loaded."""
    if BadgeAssertion.credential.is_cached(assertion):
        credential = getattr(assertion, "credential", None)
    else:
        credential = (
            BadgeCredential.objects.select_related("status_list")
            .filter(assertion=assertion)
            .first()
        )
    if credential is None or not credential.document:
        return None
    return check(
        credential.document,
        signed_data=credential.known_signed_data(),
        status_list=credential.status_list,
    )


def issue_missing():
    """Sign the credentials of the valid assertions awarded before Open
    Badges 3.0 (not revoked, not erased). Returns how many were signed."""
    missing = (
        BadgeAssertion.objects.filter(
            credential__isnull=True, revoked=False, erased_on__isnull=True
        )
        .select_related("badge_class")
        .order_by("pk")
    )
    count, batch = 0, {}
    for assertion in missing.iterator():
        with transaction.atomic():
            issue(assertion, batch)
        count += 1
    return count
