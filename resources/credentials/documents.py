"""Open Badges 3.0 documents: the OpenBadgeCredential of an assertion, the
issuer's key documents and the status list credential (before signing).

Rule: an OpenBadgeCredential (1EdTech OB 3.0, W3C VC Data Model 2.0) lists
its contexts in the required order (VC 2.0, then OB 3.0.3); the learner is
identified only by the salted SHA-256 hash of their e-mail (the same salt and
hash as the 2.0 assertion); the issuer's id is its key document, which lists
every key that may sign for it. Ids are absolute URLs built on
`settings.BADGES_BASE_URL` (or `WAGTAILADMIN_BASE_URL`), never on the host of
a request: a signed id cannot change afterwards. Texts lose their control
characters (see CONTROL_CHARACTERS).
"""

import re
from datetime import UTC

from django.templatetags.static import static
from django.urls import reverse

from .. import openbadges
from . import jsonld

CREDENTIAL_CONTEXT = [jsonld.VC_V2, jsonld.OB_V3]
# The controller document: DID core terms (verificationMethod,
# assertionMethod), which verifiers read without JSON-LD framing.
DID_V1 = "https://www.w3.org/ns/did/v1"


# C0 controls but tab, line feed and carriage return, and DEL. RDFC-1.0
# writes them escaped (\u0001); pyld 3.3 writes them raw, so the two would
# canonicalise such a text differently. They mean nothing in a badge.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(value):
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    if isinstance(value, dict):
        return {key: without_control_characters(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_control_characters(item) for item in value]
    return value


def url(path):
    return openbadges.absolute(path, None)


def iso(moment):
    """XML Schema date-time in UTC, to the second (`Z`)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def controller_id():
    return url(reverse("resources:issuer_keys"))


def verification_method_id(key):
    return url(reverse("resources:issuer_key", args=[key.multibase]))


def credential_id(assertion):
    return url(reverse("resources:credential_json", args=[assertion.uid]))


def status_list_id(status_list):
    return url(reverse("resources:status_list", args=[status_list.pk]))


def _image(path, caption=""):
    image = {"id": url(path), "type": "Image"}
    if caption:
        image["caption"] = caption
    return image


def issuer_profile():
    issuer = openbadges.issuer_settings()
    if issuer.image_id:
        image = issuer.image.get_rendition("fill-400x400|format-png").url
    else:
        image = static("portal/img/favicon.svg")
    return {
        "id": controller_id(),
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "description": issuer.description,
        "image": _image(image, issuer.name),
    }


def achievement(badge_class):
    criteria = {"narrative": badge_class.criteria_narrative}
    path = badge_class.criteria_page()
    if path is not None:
        criteria["id"] = url(path.get_url())
    document = {
        "id": openbadges.badge_class_id(badge_class),
        "type": ["Achievement"],
        "achievementType": "Badge",
        "name": badge_class.name,
        "description": badge_class.description,
        "criteria": criteria,
        "image": _image(
            reverse("resources:badge_class_image", args=[badge_class.slug]),
            badge_class.name,
        ),
    }
    # OB 3.0 requires targetUrl in an alignment: competences without one stay
    # in the 2.0 BadgeClass only.
    alignment = [
        {
            "type": ["Alignment"],
            "targetName": competence.name,
            "targetUrl": competence.url,
            "targetCode": competence.code,
            "targetFramework": openbadges.FRAMEWORK_NAMES.get(
                competence.framework, competence.get_framework_display()
            ),
        }
        for competence in badge_class.competences.all()
        if competence.url
    ]
    if alignment:
        document["alignment"] = alignment
    return document


def credential(assertion, status_list, status_index, issuer=None, achieved=None):
    """The unsigned credential; `issuer` and `achieved` (the issuer profile
    and the achievement) are built here unless the caller has them."""
    badge_class = assertion.badge_class
    document = {
        "@context": CREDENTIAL_CONTEXT,
        "id": credential_id(assertion),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": badge_class.name,
        "description": badge_class.description,
        "issuer": issuer or issuer_profile(),
        "validFrom": iso(assertion.issued_on),
    }
    if assertion.expires:
        document["validUntil"] = iso(assertion.expires)
    document["credentialSubject"] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": assertion.identity_hash,
                "salt": assertion.salt,
            }
        ],
        "achievement": achieved or achievement(badge_class),
    }
    evidence = {}
    if assertion.evidence_url:
        evidence["id"] = assertion.evidence_url
    if assertion.evidence_narrative:
        evidence["narrative"] = assertion.evidence_narrative
    if evidence:
        document["evidence"] = [{"type": ["Evidence"], **evidence}]
    list_url = status_list_id(status_list)
    document["credentialStatus"] = {
        "id": f"{list_url}#{status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(status_index),
        "statusListCredential": list_url,
    }
    return without_control_characters(document)


def status_list_credential(status_list, encoded_list):
    list_url = status_list_id(status_list)
    return {
        "@context": [jsonld.VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": controller_id(),
        "validFrom": iso(status_list.created_at),
        "credentialSubject": {
            "id": f"{list_url}#liste",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }


def multikey(key):
    return {
        "@context": jsonld.MULTIKEY_V1,
        "id": verification_method_id(key),
        "type": "Multikey",
        "controller": controller_id(),
        "publicKeyMultibase": key.multibase,
    }


def controller_document(keys):
    methods = [
        {k: v for k, v in multikey(key).items() if k != "@context"} for key in keys
    ]
    return {
        "@context": [DID_V1, jsonld.MULTIKEY_V1],
        "id": controller_id(),
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
