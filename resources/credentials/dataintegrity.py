"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C vc-di-eddsa).

Rule (vc-di-eddsa §3.3): the document without its proof and the proof
options (the proof without `proofValue`, with the document's `@context`) are
each canonicalised with RDFC-1.0 and hashed with SHA-256; the Ed25519
signature of hash(proof options) ‖ hash(document) is the proof value, in
multibase base58-btc (a leading `z`). Keys are Multikeys: the public key is
`z` + base58(0xed01 ‖ 32 bytes), the secret key `z` + base58(0x8026 ‖ 32
bytes). Verification recomputes the same bytes: changing any statement of
the document or of the proof breaks it.
"""

import copy
import hashlib
from dataclasses import dataclass

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from . import jsonld

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
ED25519_PUB_PREFIX = b"\xed\x01"
ED25519_PRIV_PREFIX = b"\x80\x26"


class ProofError(ValueError):
    """The proof is missing, malformed or does not match the document."""


def public_multibase(public_key):
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_PUB_PREFIX + raw).decode()


def public_key_from_multibase(value):
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("La clé publique n'est pas au format multibase base58.")
    try:
        raw = base58.b58decode(value[1:])
    except ValueError as error:
        raise ProofError("La clé publique est illisible.") from error
    if len(raw) != 34 or raw[:2] != ED25519_PUB_PREFIX:
        raise ProofError("La clé publique n'est pas une clé Ed25519.")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_key_from_multibase(value):
    raw = base58.b58decode(value[1:])
    if not value.startswith("z") or len(raw) != 34 or raw[:2] != ED25519_PRIV_PREFIX:
        raise ValueError("not an Ed25519 secret Multikey")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


@dataclass
class HashData:
    """What is signed, kept in pieces so tests can compare each step."""

    canonical_document: str
    canonical_proof: str

    @property
    def document_hash(self):
        return hashlib.sha256(self.canonical_document.encode()).digest()

    @property
    def proof_hash(self):
        return hashlib.sha256(self.canonical_proof.encode()).digest()

    @property
    def data(self):
        return self.proof_hash + self.document_hash


def hash_data(document, proof_options, loader=None):
    """Canonicalise the unsecured document and the proof options (which get
    the document's @context, as vc-di-eddsa §3.3.1 says)."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    options = {
        key: value for key, value in proof_options.items() if key != "proofValue"
    }
    options["@context"] = document["@context"]
    return HashData(
        canonical_document=jsonld.canonize(unsecured, loader),
        canonical_proof=jsonld.canonize(options, loader),
    )


def sign(document, private_key, verification_method, created, loader=None):
    """A copy of `document` with an eddsa-rdfc-2022 proof (assertionMethod).
    `created` is an ISO 8601 date-time text."""
    return sign_with_data(document, private_key, verification_method, created, loader)[
        0
    ]


def sign_with_data(document, private_key, verification_method, created, loader=None):
    """`sign`, and the bytes the signature covers (HashData.data): kept with
    a stored credential, they spare checking it the canonicalisation."""
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    data = hash_data(document, proof, loader).data
    signature = private_key.sign(data)
    proof["proofValue"] = "z" + base58.b58encode(signature).decode()
    secured = copy.deepcopy(document)
    secured["proof"] = proof
    return secured, data


def check_proof(document, resolve_key, loader=None, data=None):
    """Verify the document's single eddsa-rdfc-2022 proof. `resolve_key`
    maps the verification method id to an Ed25519 public key (or raises
    ProofError). `data`: the bytes the signature covers when already known
    for this exact document (computed when it was signed), else they are
    computed from it. Returns the proof; raises ProofError when it fails."""
    proof = document.get("proof") if isinstance(document, dict) else None
    if not isinstance(proof, dict):
        raise ProofError("Le document ne porte pas de preuve unique.")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("La preuve n'est pas de type eddsa-rdfc-2022.")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("La preuve n'est pas faite pour attester (assertionMethod).")
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("La valeur de la preuve est illisible.")
    try:
        signature = base58.b58decode(value[1:])
    except ValueError as error:
        raise ProofError("La valeur de la preuve est illisible.") from error
    public_key = resolve_key(proof.get("verificationMethod"))
    if data is None:
        try:
            data = hash_data(document, proof, loader).data
        except Exception as error:  # noqa: BLE001 - any JSON-LD error fails it
            raise ProofError(
                "Le document n'est pas un JSON-LD valide avec les contextes connus."
            ) from error
    try:
        public_key.verify(signature, data)
    except InvalidSignature as error:
        raise ProofError("La signature ne correspond pas au document.") from error
    return proof
