"""JSON-LD contexts from copies kept in the repository, never the network.

Rule: the contexts our documents name (`objects.CONTEXT`: ActivityStreams and
security/v1, the rest inline) are files in `contexts/` (taken from PyLD's
bundled copies, themselves the W3C / W3ID documents). `document_loader()` is
a PyLD loader that serves those files and refuses every other URL, so
expanding a document never fetches anything, and a remote document naming
an unknown context fails instead of making us fetch it.
"""

from functools import lru_cache
from pathlib import Path

from pyld import jsonld
from pyld.documentloader.frozen import FrozenDocumentLoader

from events.fediverse.objects import AS_CONTEXT, SECURITY_CONTEXT

CONTEXTS_DIR = Path(__file__).parent / "contexts"
CONTEXTS = {
    AS_CONTEXT: CONTEXTS_DIR / "activitystreams.jsonld",
    SECURITY_CONTEXT: CONTEXTS_DIR / "security-v1.jsonld",
}


@lru_cache(maxsize=1)
def document_loader():
    return FrozenDocumentLoader(CONTEXTS)


def expand(document):
    """The JSON-LD expansion of `document`, with local contexts only
    (raises pyld's JsonLdError for any other context)."""
    return jsonld.expand(document, {"documentLoader": document_loader()})
