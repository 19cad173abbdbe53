"""The agenda's RSA key pair, kept in a file outside the database.

Rule: `settings.FEDIVERSE_KEYS_DIR` holds `actor.pem`, a 2048-bit RSA
private key (Mastodon verifies draft-cavage signatures with RSA-SHA256
only). Every local actor (the agenda, each partner) signs with it. The file
is made by `manage.py fediverse_key` or, where `FEDIVERSE_GENERATE_KEY` is
on (the default), on first use. Losing it means remote servers no longer
trust our deliveries until they fetch the actor again: back the folder up.
"""

import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

KEY_FILE = "actor.pem"


def keys_dir():
    return Path(
        getattr(settings, "FEDIVERSE_KEYS_DIR", settings.BASE_DIR / "var" / "fediverse")
    )


def create_key(path=None):
    """Write a new private key (mode 600) and return it."""
    path = path or keys_dir() / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    _load.cache_clear()
    return key


@lru_cache(maxsize=4)
def _load(path):
    return serialization.load_pem_private_key(Path(path).read_bytes(), password=None)


def private_key():
    path = keys_dir() / KEY_FILE
    if not path.exists():
        if not getattr(settings, "FEDIVERSE_GENERATE_KEY", True):
            raise FileNotFoundError(
                f"{path}: run `manage.py fediverse_key` to make the agenda's key."
            )
        return create_key(path)
    return _load(str(path))


def public_key_pem():
    return (
        private_key()
        .public_key()
        .public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        .decode("ascii")
    )
