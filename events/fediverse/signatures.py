"""HTTP Signatures as the fediverse uses them (draft-cavage-http-signatures-12,
`rsa-sha256`), signing and verifying.

Why our own module: the maintained Python libraries implement RFC 9421
(`http-message-signatures`, `requests-http-signature`), which Mastodon does
not speak yet; `httpsig` (cavage) is unmaintained. The scheme is small: a
signing string made of `name: value` lines, in the order of the `headers`
parameter, with the pseudo-header `(request-target)` = `<method> <path>`,
signed with RSASSA-PKCS1-v1_5 / SHA-256 (`cryptography`).

Verification rule (inbox): the `Signature` header must cover
`(request-target)`, `host` and `date`, and `digest` when there is a body;
`Digest` must be the body's SHA-256; `Date` within `MAX_CLOCK_SKEW` of now
(refuses replays of an old request); the key is fetched from its `keyId`.
"""

import base64
import hashlib
import re
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.utils import timezone

MAX_CLOCK_SKEW = timedelta(hours=12)
REQUIRED_HEADERS = ("(request-target)", "host", "date")
_PARAM = re.compile(r'(\w+)="([^"]*)"')


class SignatureError(Exception):
    """The request is not signed as required (answered 401)."""


def digest(body):
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def signing_string(method, path, headers, names):
    """`headers` maps lower-case names to values."""
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {path}")
        else:
            lines.append(f"{name}: {headers[name]}")
    return "\n".join(lines)


def sign(private_key, key_id, method, url, body=None, now=None):
    """The headers to send with a request to `url`: Host, Date, Digest (with
    a body) and Signature."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {
        "host": parts.netloc,
        "date": format_datetime(now or timezone.now(), usegmt=True),
    }
    names = ["(request-target)", "host", "date"]
    if body is not None:
        headers["digest"] = digest(body)
        names.append("digest")
    text = signing_string(method, path, headers, names).encode()
    signature = private_key.sign(text, padding.PKCS1v15(), hashes.SHA256())
    headers["signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",'
        f'headers="{" ".join(names)}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    return {name.title(): value for name, value in headers.items()}


def parse_signature(value):
    params = dict(_PARAM.findall(value or ""))
    if not {"keyId", "signature"} <= params.keys():
        raise SignatureError("Signature header missing or malformed")
    params["headers"] = (params.get("headers") or "date").lower().split()
    return params


def check_freshness(headers, body, params, now=None):
    """What can be checked without the key: covered headers, Date within
    `MAX_CLOCK_SKEW`, Digest of the body. Raises SignatureError."""
    names = params["headers"]
    missing = [n for n in REQUIRED_HEADERS if n not in names]
    if body and "digest" not in names:
        missing.append("digest")
    if missing:
        raise SignatureError(f"signature does not cover {', '.join(missing)}")
    if params.get("algorithm", "rsa-sha256").lower() not in ("rsa-sha256", "hs2019"):
        raise SignatureError("unsupported algorithm")
    try:
        sent = parsedate_to_datetime(headers.get("date", ""))
    except (TypeError, ValueError) as error:
        raise SignatureError("bad Date header") from error
    if sent is None or sent.tzinfo is None:
        raise SignatureError("bad Date header")
    if abs((now or timezone.now()) - sent) > MAX_CLOCK_SKEW:
        raise SignatureError("Date too far from now (replay?)")
    if "digest" in names:
        given = {
            item.split("=", 1)[0].strip().upper(): item.split("=", 1)[1].strip()
            for item in headers.get("digest", "").split(",")
            if "=" in item
        }
        if given.get("SHA-256") != digest(body).split("=", 1)[1]:
            raise SignatureError("Digest does not match the body")


def verify(method, path, headers, params, public_key_pem):
    """The draft's verification, and nothing more: rebuild the signing
    string from the headers `params` names (the draft's default is `date`
    alone) and check the RSASSA-PKCS1-v1_5 / SHA-256 signature with the
    PEM public key. `headers` maps lower-case names to values. Raises
    SignatureError. Proven against the draft's Appendix C
    (tests/events/fediverse/test_fediverse_signatures.py)."""
    try:
        text = signing_string(method, path, headers, params["headers"]).encode()
    except KeyError as error:
        raise SignatureError(f"signed header {error} absent") from error
    try:
        key = serialization.load_pem_public_key(public_key_pem.encode())
        if not isinstance(key, rsa.RSAPublicKey):
            raise SignatureError("not an RSA key")
        key.verify(
            base64.b64decode(params["signature"]),
            text,
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, ValueError, TypeError) as error:
        raise SignatureError("signature does not verify") from error


def check(method, path, headers, body, public_key_pem, params, now=None):
    """The inbox's rule: `check_freshness` (what must be covered, Date,
    Digest), then `verify`. Raises SignatureError."""
    check_freshness(headers, body, params, now)
    verify(method, path, headers, params, public_key_pem)
