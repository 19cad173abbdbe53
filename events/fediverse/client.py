"""Outgoing HTTP to other fediverse servers: signed, with a timeout and a
size limit, through the standard library (no second HTTP stack)."""

import ipaddress
import json
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

from events.fediverse import keys, signatures

ACTIVITY_JSON = "application/activity+json"
ACCEPT = f'{ACTIVITY_JSON}, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
MAX_RESPONSE = 1024 * 1024


class RemoteError(Exception):
    """The remote server did not answer usefully (retried by deliveries)."""


def _timeout():
    return getattr(settings, "FEDIVERSE_HTTP_TIMEOUT", 10)


def _user_agent():
    return "atelier-numerique-wimille (ActivityPub)"


def _check_public_host(url):
    """Refuse URLs that point into the site's own network (a keyId or inbox
    given by a remote is not trusted to aim at 127.0.0.1 or the LAN), unless
    FEDIVERSE_ALLOW_PRIVATE_NETWORK (tests: the remote runs on loopback)."""
    if getattr(settings, "FEDIVERSE_ALLOW_PRIVATE_NETWORK", False):
        return
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError as error:
        raise RemoteError(f"{host}: unknown host") from error
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise RemoteError(f"{host}: not a public address")


def _open(request):
    if not request.full_url.startswith(("https://", "http://")):
        raise RemoteError("only http(s) URLs")
    _check_public_host(request.full_url)
    try:
        with urllib.request.urlopen(request, timeout=_timeout()) as response:  # noqa: S310
            return response.status, response.read(MAX_RESPONSE + 1)
    except urllib.error.HTTPError as error:
        return error.code, error.read(MAX_RESPONSE + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise RemoteError(str(error)) from error


def get_json(url, key_id):
    """GET an ActivityPub document, signed (servers in secure mode require
    it). Raises RemoteError."""
    headers = signatures.sign(keys.private_key(), key_id, "GET", url)
    request = urllib.request.Request(  # noqa: S310
        url, headers={**headers, "Accept": ACCEPT, "User-Agent": _user_agent()}
    )
    status, body = _open(request)
    if status != 200 or len(body) > MAX_RESPONSE:
        raise RemoteError(f"GET {url}: {status}")
    try:
        return json.loads(body)
    except ValueError as error:
        raise RemoteError(f"GET {url}: not JSON") from error


def post_json(url, document, key_id):
    """POST an activity to an inbox, signed. Returns the status; raises
    RemoteError on network failure."""
    body = json.dumps(document).encode()
    headers = signatures.sign(keys.private_key(), key_id, "POST", url, body)
    request = urllib.request.Request(  # noqa: S310
        url,
        data=body,
        method="POST",
        headers={
            **headers,
            "Content-Type": ACTIVITY_JSON,
            "Accept": ACCEPT,
            "User-Agent": _user_agent(),
        },
    )
    return _open(request)[0]
