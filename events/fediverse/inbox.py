"""What a received activity does.

Rule: every inbox POST is signed by its actor (see `signatures`); a Follow
of one of our actors stores the follower and answers a signed Accept (a
blocked follower gets a Reject); Undo of a Follow, or Delete of the remote
actor, removes the follower (a block stays). Everything else (replies,
likes, boosts, Join) is acknowledged and ignored: a médiathèque does not
moderate a second inbox, and a seat is taken on the site, where the waiting
list and the reminders live (README, « Fédivers »).

A remote actor's public key is cached (`FEDIVERSE_KEY_CACHE_SECONDS`, a day
by default) so that a busy server does not make us fetch its actor for each
delivery; a signature that does not verify with the cached key fetches the
key again, once (the remote rotated it). The views count each inbox POST
against two rate limits (portal.ratelimit): per client address and per
server named by the signature's `keyId`.
"""

import hashlib
import json
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from events.fediverse import client, delivery, objects, signatures
from events.fediverse.models import Follower
from portal import errors

MAX_BODY = 256 * 1024
# How long a remote actor's public key is trusted without fetching it again
# (a signature that no longer verifies with it fetches it at once).
KEY_CACHE_SECONDS = 24 * 3600


class Refused(errors.Refused):
    """An inbox request refused, with its HTTP status and French message."""

    def __init__(self, status, message):
        super().__init__(message, status)


def _headers(request):
    headers = {key.lower(): value for key, value in request.headers.items()}
    return headers


def _fetch_key(key_id, name):
    """(owner actor, public key PEM) for `key_id`, fetched from its server.
    The actor is kept to what the inbox uses (id, inbox, shared inbox)."""
    url = urldefrag(key_id)[0]
    try:
        document = client.get_json(url, objects.key_id(name))
    except client.RemoteError as error:
        raise Refused(401, _("Clé de signature introuvable.")) from error
    key = document.get("publicKey") if "publicKey" in document else document
    if isinstance(key, list):
        key = next(
            (k for k in key if isinstance(k, dict) and k.get("id") == key_id), {}
        )
    if not isinstance(key, dict) or key.get("id") != key_id:
        raise Refused(401, _("Clé de signature introuvable."))
    owner = key.get("owner") or document.get("id")
    actor = document if document.get("id") == owner else None
    if actor is None:
        try:
            actor = client.get_json(owner, objects.key_id(name))
        except client.RemoteError as error:
            raise Refused(401, _("Compte signataire introuvable.")) from error
    pem = key.get("publicKeyPem")
    if not isinstance(pem, str) or not isinstance(actor.get("id"), str):
        raise Refused(401, _("Clé de signature introuvable."))
    endpoints = actor.get("endpoints")
    shared = endpoints.get("sharedInbox") if isinstance(endpoints, dict) else None
    kept = {
        "id": actor["id"],
        "inbox": actor.get("inbox"),
        "endpoints": {"sharedInbox": shared} if isinstance(shared, str) else {},
    }
    return kept, pem


def _cache_key(key_id):
    return "fediverse:key:" + hashlib.sha256(key_id.encode()).hexdigest()


def key_cache_seconds():
    return int(getattr(settings, "FEDIVERSE_KEY_CACHE_SECONDS", KEY_CACHE_SECONDS))


def _remote_key(key_id, name, fresh=False):
    """(owner actor, public key PEM, whether it came from the cache) for
    `key_id`: from the cache, or fetched and cached for
    `FEDIVERSE_KEY_CACHE_SECONDS`. Only keys that were fetched are cached,
    never a failure."""
    if not fresh:
        cached = cache.get(_cache_key(key_id))
        if cached is not None:
            return cached[0], cached[1], True
    actor, pem = _fetch_key(key_id, name)
    cache.set(_cache_key(key_id), (actor, pem), key_cache_seconds())
    return actor, pem, False


def _check_signer(request, path, headers, body, params, document, name):
    """The signer's actor once the signature verifies with its key. A key
    from the cache that does not verify is fetched again, once: the remote
    may have rotated its key since."""
    actor, pem, cached = _remote_key(params["keyId"], name)
    try:
        signatures.verify(request.method, path, headers, params, pem)
    except signatures.SignatureError as error:
        if not cached:
            raise Refused(401, _("Signature HTTP refusée.")) from error
        actor, pem, _cached = _remote_key(params["keyId"], name, fresh=True)
        try:
            signatures.verify(request.method, path, headers, params, pem)
        except signatures.SignatureError as again:
            raise Refused(401, _("Signature HTTP refusée.")) from again
    if actor.get("id") != document["actor"]:
        raise Refused(401, _("La signature n'est pas celle de l'auteur."))
    return actor


def signer_host(headers):
    """The host of the `keyId` of a request's signature (lower case), or ""
    when there is none: what the inbox's per-server rate limit counts."""
    try:
        params = signatures.parse_signature(headers.get("signature"))
    except signatures.SignatureError:
        return ""
    return (urlsplit(params["keyId"]).hostname or "").lower()


def verified_activity(request, name):
    """The activity POSTed to `name`'s inbox, once its signature checks
    out, with the signer's actor (id, inbox, shared inbox). Raises Refused."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_BODY:
        raise Refused(413, _("Message trop volumineux."))
    body = request.body
    if len(body) > MAX_BODY:
        raise Refused(413, _("Message trop volumineux."))
    headers = _headers(request)
    if "signature" not in headers:
        raise Refused(401, _("Signature HTTP requise."))
    try:
        params = signatures.parse_signature(headers["signature"])
    except signatures.SignatureError as error:
        raise Refused(401, _("Signature HTTP illisible.")) from error
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise Refused(400, _("Le message n'est pas du JSON valide.")) from error
    if not isinstance(document, dict) or not isinstance(document.get("actor"), str):
        raise Refused(400, _("Le message n'est pas une activité."))
    # Checks that need no network first: an old or tampered request is
    # refused without fetching anything.
    path = request.get_full_path()
    try:
        signatures.check_freshness(headers, body, params)
    except signatures.SignatureError as error:
        raise Refused(401, _("Signature HTTP refusée.")) from error
    actor = _check_signer(request, path, headers, body, params, document, name)
    return document, actor


def _object_id(value):
    return value.get("id") if isinstance(value, dict) else value


def handle(document, actor, name):
    """Act on a verified activity addressed to `name`. Returns a short word
    for the log and the tests."""
    kind = document.get("type")
    me = objects.actor_id(name)
    if kind == "Follow" and _object_id(document.get("object")) == me:
        return _follow(document, actor, name)
    if kind == "Undo":
        inner = document.get("object")
        if isinstance(inner, dict) and inner.get("type") == "Follow":
            Follower.objects.filter(local_actor=name, actor_url=actor["id"]).exclude(
                state=Follower.BLOCKED
            ).delete()
            return "unfollowed"
    if kind == "Delete" and _object_id(document.get("object")) == actor["id"]:
        Follower.objects.filter(actor_url=actor["id"]).exclude(
            state=Follower.BLOCKED
        ).delete()
        return "actor-deleted"
    return "ignored"


def _follow(document, actor, name):
    inbox = actor.get("inbox")
    if not isinstance(inbox, str) or not inbox.startswith(("https://", "http://")):
        raise Refused(400, _("Le compte n'a pas de boîte de réception."))
    endpoints = (
        actor.get("endpoints") if isinstance(actor.get("endpoints"), dict) else {}
    )
    shared = endpoints.get("sharedInbox") or ""
    follower = Follower.objects.filter(local_actor=name, actor_url=actor["id"]).first()
    answer = {
        "@context": objects.CONTEXT,
        "actor": objects.actor_id(name),
        "object": document,
    }
    if follower and follower.state == Follower.BLOCKED:
        answer.update(
            id=f"{objects.actor_id(name)}#reject-{follower.pk}", type="Reject"
        )
        delivery.send(answer, inbox, name)
        return "rejected"
    follower, _created = Follower.objects.update_or_create(
        local_actor=name,
        actor_url=actor["id"],
        defaults={
            "inbox": inbox,
            "shared_inbox": shared if isinstance(shared, str) else "",
            "state": Follower.ACCEPTED,
            "failures": 0,
            "failing_since": None,
        },
    )
    answer.update(id=f"{objects.actor_id(name)}#accept-{follower.pk}", type="Accept")
    delivery.send(answer, inbox, name)
    return "accepted"
