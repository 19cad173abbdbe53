"""Open Badges 2.0 documents with hosted verification.

Rule: every public document (Issuer profile, BadgeClass, Assertion,
RevocationList) is JSON-LD in the `https://w3id.org/openbadges/v2` context,
its `id` is the URL it is served at, and the recipient appears only as a
salted SHA-256 hash of the e-mail address (`hashed: true`). A revoked
assertion is answered with `{"revoked": true, "revocationReason": …}` (and
HTTP 410 by the view), and listed in the issuer's revocation list.

URLs are absolute: built from the request when there is one, otherwise from
`settings.BADGES_BASE_URL` (default `WAGTAILADMIN_BASE_URL`), as a mail or a
management command has no request.
"""

from django.conf import settings
from django.urls import reverse
from wagtail.models import Site

from portal import routing

from .models import BadgeAssertion, BadgeIssuerSettings

CONTEXT = "https://w3id.org/openbadges/v2"
CONTENT_TYPE = "application/ld+json"

FRAMEWORK_NAMES = {"pix": "Pix", "digcomp": "DigComp 2.2"}


def base_url(request=None):
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    configured = (
        getattr(settings, "BADGES_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    )
    return configured.rstrip("/")


def absolute(path, request=None):
    if path.startswith(("http://", "https://")):
        return path
    return base_url(request) + path


def issuer_settings(request=None):
    if request is not None:
        site = routing.find_site(request)
        if site is None:
            return BadgeIssuerSettings.for_request(request)
        # Kept per process like the footer's settings: saving a setting
        # purges the page cache, and with it this memo. Read-only.
        return routing.site_memo(
            request,
            ("badge-issuer", site.pk),
            lambda: BadgeIssuerSettings.for_site(site),
        )
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return BadgeIssuerSettings.for_site(site)


def issuer_id(request=None):
    return absolute(reverse("resources:issuer"), request)


def badge_class_id(badge_class, request=None):
    return absolute(reverse("resources:badge_class", args=[badge_class.slug]), request)


def assertion_id(assertion, request=None):
    return absolute(reverse("resources:assertion", args=[assertion.uid]), request)


def _iso(moment):
    return moment.replace(microsecond=0).isoformat()


def issuer_document(request=None):
    issuer = issuer_settings(request)
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer_id(request),
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "description": issuer.description,
        "revocationList": absolute(reverse("resources:revocation_list"), request),
    }


def badge_class_document(badge_class, request=None):
    criteria = {"narrative": badge_class.criteria_narrative}
    path = badge_class.criteria_page(request)
    if path is not None:
        criteria["id"] = absolute(path.get_url(request), request)
    document = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": badge_class_id(badge_class, request),
        "name": badge_class.name,
        "description": badge_class.description,
        "image": absolute(
            reverse("resources:badge_class_image", args=[badge_class.slug]), request
        ),
        "criteria": criteria,
        "issuer": issuer_id(request),
    }
    alignment = [
        {
            "targetName": competence.name,
            "targetFramework": FRAMEWORK_NAMES.get(
                competence.framework, competence.get_framework_display()
            ),
            "targetCode": competence.code,
            **({"targetUrl": competence.url} if competence.url else {}),
        }
        for competence in badge_class.competences.all()
    ]
    if alignment:
        document["alignment"] = alignment
    return document


def recipient(assertion):
    return {
        "type": "email",
        "hashed": True,
        "salt": assertion.salt,
        "identity": assertion.identity_hash,
    }


def assertion_document(assertion, request=None):
    """The Assertion; a revoked one is reduced to what OB 2.0 asks for."""
    document_id = assertion_id(assertion, request)
    if assertion.revoked:
        return {
            "@context": CONTEXT,
            "type": "Assertion",
            "id": document_id,
            "revoked": True,
            "revocationReason": assertion.revocation_reason
            or "Badge révoqué par l'émetteur.",
        }
    document = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": document_id,
        "recipient": recipient(assertion),
        "badge": badge_class_id(assertion.badge_class, request),
        "verification": {"type": "hosted"},
        "issuedOn": _iso(assertion.issued_on),
        "image": absolute(
            reverse("resources:assertion_image", args=[assertion.uid]), request
        ),
    }
    evidence = {}
    if assertion.evidence_url:
        evidence["id"] = assertion.evidence_url
    if assertion.evidence_narrative:
        evidence["narrative"] = assertion.evidence_narrative
    if evidence:
        document["evidence"] = {"type": "Evidence", **evidence}
    if assertion.expires:
        document["expires"] = _iso(assertion.expires)
    return document


def revocation_list_document(request=None):
    revoked = BadgeAssertion.objects.filter(revoked=True).only(
        "uid", "revocation_reason"
    )
    return {
        "@context": CONTEXT,
        "type": "RevocationList",
        "id": absolute(reverse("resources:revocation_list"), request),
        "issuer": issuer_id(request),
        "revokedAssertions": [
            {
                "id": assertion_id(assertion, request),
                "revocationReason": assertion.revocation_reason
                or "Badge révoqué par l'émetteur.",
            }
            for assertion in revoked
        ],
    }
