"""A small fediverse account for the tests: a standard-library HTTP server on
loopback, with its own RSA key, that signs what it sends and verifies the
signatures of what it receives.

Its draft-cavage signer and verifier are written here from the draft's text,
independently of `events.fediverse.signatures`, so that the two check each
other.
"""

import base64
import hashlib
import json
import threading
import urllib.request
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key):
    return (
        key.public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        .decode()
    )


def signed_headers(key, key_id, method, url, body=b"", date=None, digest=None):
    parts = urlsplit(url)
    date = date or formatdate(usegmt=True)
    digest = (
        digest or "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
    )
    lines = [
        f"(request-target): {method.lower()} {parts.path}",
        f"host: {parts.netloc}",
        f"date: {date}",
    ]
    names = "(request-target) host date"
    if method == "POST":
        lines.append(f"digest: {digest}")
        names += " digest"
    signature = key.sign("\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
    headers = {
        "Host": parts.netloc,
        "Date": date,
        "Signature": f'keyId="{key_id}",algorithm="rsa-sha256",headers="{names}",'
        f'signature="{base64.b64encode(signature).decode()}"',
    }
    if method == "POST":
        headers["Digest"] = digest
    return headers


class RemoteAccount:
    """@alice on a loopback server. `received` lists (activity, verified)."""

    def __init__(self, served_key=None, host="127.0.0.1"):
        self.key = new_key()
        # A server may publish a key that is not the one it signs with.
        self.served_key = served_key or self.key
        self.received = []
        # The paths of the GETs it answered (the site fetching its key).
        self.fetched = []
        self.arrived = threading.Condition()
        account = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                account.fetched.append(self.path)
                if self.path != "/users/alice":
                    self.send_response(404)
                    self.end_headers()
                    return
                body = json.dumps(account.actor_document()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/activity+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    verified = account.verify(
                        self.command, self.path, self.headers, body
                    )
                except (OSError, KeyError, ValueError):
                    verified = False  # the sender's key could not be fetched
                with account.arrived:
                    account.received.append((json.loads(body), verified))
                    account.arrived.notify_all()
                self.send_response(202 if verified else 401)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # `host` names the server in its URLs (it listens on 127.0.0.1).
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.id = f"{self.url}/users/alice"
        self.inbox = f"{self.id}/inbox"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def actor_document(self):
        return {
            "@context": [
                "https://www.w3.org/ns/activitystreams",
                "https://w3id.org/security/v1",
            ],
            "id": self.id,
            "type": "Person",
            "preferredUsername": "alice",
            "inbox": self.inbox,
            "endpoints": {"sharedInbox": f"{self.url}/inbox"},
            "publicKey": {
                "id": f"{self.id}#main-key",
                "owner": self.id,
                "publicKeyPem": pem(self.served_key),
            },
        }

    def post(self, url, activity, *, body=None, **options):
        """Sign and POST `activity` to `url`; returns the status."""
        body = body if body is not None else json.dumps(activity).encode()
        headers = signed_headers(
            self.key, f"{self.id}#main-key", "POST", url, body, **options
        )
        headers["Content-Type"] = "application/activity+json"
        request = urllib.request.Request(  # noqa: S310  (loopback http only)
            url, data=body, method="POST", headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def verify(self, method, path, headers, body):
        """Check a received request's signature with the sender's key,
        fetched from its keyId as a fediverse server does."""
        params = dict(part.split("=", 1) for part in headers["Signature"].split(","))
        params = {k: v.strip('"') for k, v in params.items()}
        expected = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        if headers.get("Digest") != expected:
            return False
        lines = []
        for name in params["headers"].split():
            if name == "(request-target)":
                lines.append(f"(request-target): {method.lower()} {path}")
            else:
                lines.append(f"{name}: {headers[name]}")
        key_url = params["keyId"].split("#")[0]
        request = urllib.request.Request(  # noqa: S310
            key_url, headers={"Accept": "application/activity+json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            actor = json.loads(response.read())
        key = serialization.load_pem_public_key(
            actor["publicKey"]["publicKeyPem"].encode()
        )
        try:
            key.verify(
                base64.b64decode(params["signature"]),
                "\n".join(lines).encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except Exception:  # noqa: BLE001  (any failure: not verified)
            return False
        return True

    def wait_for(self, kind, count=1, timeout=15):
        """The activities of type `kind` received, once there are `count`."""
        with self.arrived:
            self.arrived.wait_for(
                lambda: len(self.of_type(kind)) >= count, timeout=timeout
            )
        return self.of_type(kind)

    def of_type(self, kind):
        return [(a, ok) for a, ok in self.received if a.get("type") == kind]
