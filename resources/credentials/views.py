"""Open Badges 3.0 endpoints under /badges/: the issuer's key documents, the
status lists, and the learner's downloads (JSON, baked PNG and SVG). The
documents are built and signed in `issuing.py`."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from ..models import BadgeCredential, CredentialStatusList
from . import issuing

CONTENT_TYPE = "application/ld+json"
# A revocation must reach verifiers quickly: shared caches keep one minute.
DOCUMENT_MAX_AGE = 60


def _public(response):
    # Wallets and verifiers fetch these from their own pages.
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=0, s_maxage=DOCUMENT_MAX_AGE)
    return response


def _ld_json(document):
    return _public(
        JsonResponse(
            document,
            content_type=CONTENT_TYPE,
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    )


@require_safe
def issuer_keys(request):
    return _ld_json(issuing.key_document())


@require_safe
def issuer_key(request, key):
    document = issuing.key_method_document(key)
    if document is None:
        raise Http404
    return _ld_json(document)


@require_safe
def status_list(request, pk):
    return _ld_json(
        issuing.status_list_document(get_object_or_404(CredentialStatusList, pk=pk))
    )


def _credential(request, uid):
    if not uid or len(uid) > 64:
        raise Http404
    credential = get_object_or_404(
        BadgeCredential.objects.select_related("assertion__badge_class__image").exclude(
            document=""
        ),
        assertion__uid=uid,
    )
    return credential


def _download(request, uid, content_type, extension, build):
    credential = _credential(request, uid)
    assertion = credential.assertion
    if assertion.revoked:
        return render(
            request,
            "resources/badges/revoked.html",
            {"assertion": assertion, "badge": assertion.badge_class},
            status=410,
        )
    response = _public(HttpResponse(build(credential), content_type=content_type))
    response["Content-Disposition"] = (
        f'attachment; filename="badge-{assertion.badge_class.slug}-ob3.{extension}"'
    )
    return response


@require_safe
def credential_json(request, uid):
    return _download(
        request,
        uid,
        CONTENT_TYPE,
        "json",
        lambda credential: credential.document.encode(),
    )


@require_safe
def credential_png(request, uid):
    return _download(request, uid, "image/png", "png", issuing.baked_png)


@require_safe
def credential_svg(request, uid):
    return _download(request, uid, "image/svg+xml", "svg", issuing.baked_svg)
