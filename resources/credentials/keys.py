"""The issuer's Ed25519 signing keys, kept as files outside the database.

Rule: `settings.BADGES_OB3_KEYS_DIR` holds PEM files. A file with a private
key can sign; the one whose name sorts last signs new credentials. A file
with only a public key is a retired key. Every key of the folder, signing or
retired, is published in the issuer's key document, so a credential signed
with an old key still verifies after a rotation.

Rotation (README, « Open Badges 3.0 »): `manage.py badge_keys new` adds a
key named after the current UTC time, which signs from then on; `manage.py
badge_keys retire` replaces the older private keys by their public halves.
Where `settings.BADGES_OB3_GENERATE_KEY` is true (development, tests) a
first key is made when none exists; production refuses to issue without one
(resources/checks.py).
"""

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.utils import timezone

from .dataintegrity import public_multibase


class NoSigningKeyError(RuntimeError):
    """No private key to sign with: set BADGES_OB3_KEYS_DIR and make one."""


@dataclass(frozen=True)
class IssuerKey:
    name: str
    public_key: Ed25519PublicKey
    private_key: Ed25519PrivateKey | None

    @property
    def multibase(self):
        return public_multibase(self.public_key)

    @property
    def can_sign(self):
        return self.private_key is not None


def keys_dir():
    return Path(settings.BADGES_OB3_KEYS_DIR)


def _read(path):
    data = path.read_bytes()
    if b"PRIVATE KEY" in data:
        private = serialization.load_pem_private_key(data, password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 key")
        return IssuerKey(path.stem, private.public_key(), private)
    public = serialization.load_pem_public_key(data)
    if not isinstance(public, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 key")
    return IssuerKey(path.stem, public, None)


def all_keys():
    """Every published key, oldest first (by file name)."""
    folder = keys_dir()
    if not folder.is_dir():
        return []
    return [_read(path) for path in sorted(folder.glob("*.pem"))]


def find(multibase):
    return next((key for key in all_keys() if key.multibase == multibase), None)


def _write(path, data):
    # Created readable by the owner only, and never over an existing file.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def new_key():
    """Create a signing key named after the current UTC time; it signs from
    now on. Returns it."""
    folder = keys_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    private = Ed25519PrivateKey.generate()
    name = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write(folder / f"{name}.pem", pem)
    return IssuerKey(name, private.public_key(), private)


def signing_key():
    """The key that signs new credentials (made first where allowed)."""
    signers = [key for key in all_keys() if key.can_sign]
    if signers:
        return signers[-1]
    if getattr(settings, "BADGES_OB3_GENERATE_KEY", False):
        try:
            return new_key()
        except FileExistsError:
            return signing_key()  # another process made it this very moment
    raise NoSigningKeyError(
        "Aucune clé de signature Open Badges 3.0 : définissez BADGES_OB3_KEYS_DIR "
        "et lancez « manage.py badge_keys new »."
    )


def retire_old_keys():
    """Keep only the public half of every key but the signing one. Returns the
    names of the keys retired."""
    signers = [key for key in all_keys() if key.can_sign]
    retired = []
    for key in signers[:-1]:
        path = keys_dir() / f"{key.name}.pem"
        public_pem = key.public_key.public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(public_pem)
        temporary.replace(path)
        retired.append(key.name)
    return retired
