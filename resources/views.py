"""Open Badges endpoints under /badges/: JSON-LD documents for verifiers,
baked images, the French verification page and the learner's request form.
The documents are built in `openbadges.py`, decisions in `awarding.py`."""

from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from portal import ratelimit
from portal.prepared import prepared_query
from portal.public_forms import PublicFormView

from . import awarding, baking, openbadges, request_notices
from .credentials import issuing as credentials
from .forms import BadgeRequestForm
from .models import BadgeAssertion, BadgeClass, LearningPathPage

# Verifiers should see a revocation quickly: shared caches keep a document
# one minute at most.
DOCUMENT_MAX_AGE = 60


def _ld_json(document, status=200):
    response = JsonResponse(
        document,
        status=status,
        content_type=openbadges.CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    # Backpacks and online validators fetch these from their own pages.
    response["Access-Control-Allow-Origin"] = "*"
    response["Vary"] = "Accept"
    patch_cache_control(response, public=True, max_age=0, s_maxage=DOCUMENT_MAX_AGE)
    return response


def _wants_html(request):
    if request.GET.get("format") == "json":
        return False
    return "text/html" in request.headers.get("Accept", "")


def _badge_png(badge_class):
    with badge_class.image.open_file() as handle:
        return handle.read()


def _get_assertion(uid, *related):
    # Public ids are url-safe base64; anything else is a forged id.
    if not uid or len(uid) > 64:
        raise Http404
    found = _assertion_by_uid(uid, related=related)
    if not found:
        raise Http404
    return found[0]


@prepared_query
def _assertion_by_uid(uid, *, related):
    # Compiled once (portal.prepared): every verification asks it.
    return BadgeAssertion.objects.select_related(
        "badge_class", "badge_class__image", *related
    ).filter(uid=uid)[:1]


@require_safe
def issuer(request):
    return _ld_json(openbadges.issuer_document(request))


@require_safe
def revocation_list(request):
    return _ld_json(openbadges.revocation_list_document(request))


@require_safe
def badge_class(request, slug):
    badge = get_object_or_404(BadgeClass, slug=slug)
    return _ld_json(openbadges.badge_class_document(badge, request))


@require_safe
def badge_class_image(request, slug):
    badge = get_object_or_404(BadgeClass.objects.select_related("image"), slug=slug)
    return HttpResponse(_badge_png(badge), content_type="image/png")


@require_safe
def assertion(request, uid):
    if _wants_html(request):
        return verify(request, uid)
    awarded = _get_assertion(uid)
    document = openbadges.assertion_document(awarded, request)
    return _ld_json(document, status=410 if awarded.revoked else 200)


@require_safe
def verify(request, uid):
    # With its credential and status list: the checks below read them.
    awarded = _get_assertion(uid, "credential__status_list")
    badge = awarded.badge_class
    response = render(
        request,
        "resources/badges/verify.html",
        {
            "assertion": awarded,
            "badge": badge,
            "path_page": badge.criteria_page(request),
            "issuer": openbadges.issuer_settings(request),
            "json_url": reverse("resources:assertion", args=[awarded.uid])
            + "?format=json",
            "credential_report": credentials.verification(awarded),
        },
        status=410 if awarded.revoked else 200,
    )
    response["Vary"] = "Accept"
    patch_cache_control(response, public=True, max_age=0, s_maxage=DOCUMENT_MAX_AGE)
    return response


@require_safe
def assertion_image(request, uid):
    awarded = _get_assertion(uid)
    if awarded.revoked:
        return render(
            request,
            "resources/badges/revoked.html",
            {"assertion": awarded, "badge": awarded.badge_class},
            status=410,
        )
    baked = baking.stored_bake(
        awarded.uid,
        lambda: _badge_png(awarded.badge_class),
        openbadges.assertion_document(awarded, request),
    )
    response = HttpResponse(baked, content_type="image/png")
    response["Content-Disposition"] = (
        f'attachment; filename="badge-{awarded.badge_class.slug}.png"'
    )
    return response


class BadgeRequestView(PublicFormView):
    """A learner asks for a badge: staff are told, and decide
    (`awarding`)."""

    form_class = BadgeRequestForm
    template_name = "resources/badges/request_form.html"
    address_limit = "badge-request-address"

    def prepare(self):
        self.badge = get_object_or_404(
            BadgeClass.objects.select_related("image"), slug=self.kwargs["slug"]
        )
        self.path_page = (
            LearningPathPage.objects.live()
            .public()
            .filter(badge_class=self.badge)
            .order_by("path")
            .first()
        )

    def get_context_data(self, form):
        return {"badge": self.badge, "form": form, "path_page": self.path_page}

    def get_success_url(self):
        return reverse("resources:request_sent", args=[self.badge.slug])

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        ratelimit.hit("badge-request-email", email)
        if awarding.has_pending_request(self.badge, email):
            # Already waiting for staff: same answer, nothing stored twice,
            # nobody e-mailed again (and nothing told about that request).
            return redirect(self.get_success_url())
        with transaction.atomic():
            badge_request = form.save(commit=False)
            badge_request.badge_class = self.badge
            badge_request.learning_path = self.path_page
            badge_request.save()
        request_notices.notify_staff(badge_request, self.request)
        return redirect(self.get_success_url())


request_badge = BadgeRequestView.as_view()


@require_safe
def request_sent(request, slug):
    badge = get_object_or_404(BadgeClass, slug=slug)
    return render(request, "resources/badges/request_sent.html", {"badge": badge})
