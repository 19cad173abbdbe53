"""Public ActivityPub endpoints: thin views over `objects` and `inbox`."""

import json
import logging

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from events.fediverse import inbox, objects
from events.fediverse.models import Follower
from events.models import EventPage
from home.models import Partner
from portal import ratelimit
from portal.clientip import client_ip

logger = logging.getLogger(__name__)

ACTIVITY_JSON = "application/activity+json"
JRD_JSON = "application/jrd+json"


def _json(data, content_type=ACTIVITY_JSON, status=200):
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type=f"{content_type}; charset=utf-8",
        status=status,
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


def _text(message, status):
    return HttpResponse(
        message, content_type="text/plain; charset=utf-8", status=status
    )


def _wants_activity(request):
    accept = request.headers.get("Accept", "")
    return "activity+json" in accept or "ld+json" in accept or "/json" in accept


def _actor_or_404(name):
    try:
        return objects.local_actor(name)
    except Partner.DoesNotExist as error:
        raise Http404 from error


@require_GET
def webfinger(request):
    resource = request.GET.get("resource", "").strip()
    if not resource:
        return _text(_("Paramètre « resource » manquant."), 400)
    if resource.startswith("acct:"):
        user, sep, domain = resource[5:].lstrip("@").partition("@")
        if not sep or not user or not domain:
            return _text(_("Adresse « acct: » mal formée."), 400)
        if domain.lower() not in {objects.host().lower(), request.get_host().lower()}:
            return _text(_("Compte inconnu sur ce site."), 404)
        name = user
    elif resource.startswith(("https://", "http://")):
        prefix = objects.absolute("/ap/")
        if not resource.startswith(prefix):
            return _text(_("Compte inconnu sur ce site."), 404)
        name = resource[len(prefix) :].strip("/")
    else:
        return _text(_("Ressource non reconnue : utilisez acct:nom@site."), 400)
    if name != objects.AGENDA and not Partner.objects.filter(slug=name).exists():
        return _text(_("Compte inconnu sur ce site."), 404)
    return _json(objects.webfinger(name), content_type=JRD_JSON)


@require_GET
@vary_on_headers("Accept")
def actor(request, name):
    partner = _actor_or_404(name)
    if not _wants_activity(request):
        return HttpResponseRedirect(objects.agenda_url())
    return _json(objects.actor(name, partner))


@require_GET
def outbox(request, name):
    _actor_or_404(name)
    page = request.GET.get("page")
    if page is None:
        return _json(objects.outbox(name))
    if not page.isdigit() or not 1 <= int(page) <= 10_000:
        return _text(_("Numéro de page invalide."), 400)
    return _json(objects.outbox(name, int(page)))


@require_GET
def featured(request, name):
    _actor_or_404(name)
    return _json(objects.featured(name))


@require_GET
def followers(request, name):
    _actor_or_404(name)
    count = Follower.objects.filter(local_actor=name, state=Follower.ACCEPTED).count()
    return _json(objects.followers(name, count))


@require_GET
@vary_on_headers("Accept")
def event(request, pk):
    found = (
        objects.with_next_date(EventPage.objects.live().public().filter(pk=pk))
        .select_related("venue", "image")
        .first()
    )
    if found is None:
        raise Http404
    if not _wants_activity(request):
        return HttpResponseRedirect(found.url)
    return _json({"@context": objects.CONTEXT, **objects.event_object(found)})


def _rate_limited(request):
    """Count this inbox POST per client address and per signing server; the
    French 429 (with Retry-After) past either limit, else None."""
    try:
        ratelimit.hit("fediverse-inbox-address", client_ip(request))
        host = inbox.signer_host(request.headers)
        if host:
            ratelimit.hit("fediverse-inbox-host", host)
    except ratelimit.RateLimited as limited:
        minutes = max(1, -(-limited.retry_after // 60))
        response = _text(
            ngettext(
                "Trop de messages reçus de votre serveur : réessayez dans "
                "%(n)d minute.",
                "Trop de messages reçus de votre serveur : réessayez dans "
                "%(n)d minutes.",
                minutes,
            )
            % {"n": minutes},
            429,
        )
        response["Retry-After"] = str(limited.retry_after)
        return response
    return None


def _receive(request, name):
    try:
        document, remote = inbox.verified_activity(request, name)
        outcome = inbox.handle(document, remote, name)
    except inbox.Refused as refused:
        logger.info(
            "fediverse inbox %s: refused %s (%s)",
            name,
            refused.status,
            refused.args[0],
        )
        return _text(str(refused.message), refused.status)
    logger.info(
        "fediverse inbox %s: %s %s %s from %s",
        name,
        outcome,
        document.get("type"),
        document.get("id"),
        remote.get("id"),
    )
    logger.debug(
        "fediverse inbox %s received: %s", name, json.dumps(document, sort_keys=True)
    )
    return _text("", 202)


@csrf_exempt
@require_POST
def actor_inbox(request, name):
    _actor_or_404(name)
    limited = _rate_limited(request)
    if limited is not None:
        return limited
    return _receive(request, name)


def _addressed_actor(request):
    """The local actor a shared-inbox Follow (or its Undo) is about."""
    try:
        document = json.loads(request.body[: inbox.MAX_BODY])
        target = document.get("object")
        if isinstance(target, dict):
            target = target.get("object")
        if isinstance(target, dict):
            target = target.get("id")
        if not target.startswith(objects.base_url() + "/"):
            return objects.AGENDA
        match = resolve(target[len(objects.base_url()) :])
    except (ValueError, AttributeError, TypeError, Resolver404):
        return objects.AGENDA
    if match.url_name == "actor" and match.namespace == "fediverse":
        return match.kwargs["name"]
    return objects.AGENDA


@csrf_exempt
@require_POST
def shared_inbox(request):
    limited = _rate_limited(request)
    if limited is not None:
        return limited
    if len(request.body) > inbox.MAX_BODY:
        return _text(_("Message trop volumineux."), 413)
    return _receive(request, _addressed_actor(request))
