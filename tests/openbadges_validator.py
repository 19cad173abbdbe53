"""Run the IMS Global Open Badges validator (PyPI `openbadges` 1.1.2, the
openbadges-validator-core behind openbadgesvalidator.imsglobal.org) against a
live site, offline: the only outside document it needs, the OB 2.0 JSON-LD
context at https://w3id.org/openbadges/v2, is answered from the copy the
validator package ships.

The validator is old (Python 2 era pins), so it lives in its own venv:

    python3 -m venv /tmp/obvenv
    /tmp/obvenv/bin/pip install openbadges==1.1.2 "pycryptodome>=3.10" \
        "python-jose>=3.3" -U pytz
    /tmp/obvenv/bin/python tests/openbadges_validator.py <assertion URL or baked
        PNG file> [recipient e-mail]

Prints the report as JSON (plus « REVOKED: reason » for a revoked assertion)
and exits 1 when the validator says it is not valid. Used by
tests/test_badge_validator.py when OPENBADGES_VALIDATOR_PYTHON is set."""

import json
import sys

import requests
from openbadges import verify
from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT
from requests.adapters import HTTPAdapter

CONTEXT_URLS = (
    "https://w3id.org/openbadges/v2",
    "https://openbadgespec.org/v2/context.json",
)
_send = HTTPAdapter.send


def send(self, request, **kwargs):
    if request.url.rstrip("/") in CONTEXT_URLS:
        response = requests.Response()
        response.status_code = 200
        response.url = request.url
        response.request = request
        response.headers["Content-Type"] = "application/ld+json"
        response._content = json.dumps(OPENBADGES_CONTEXT_V2_DICT).encode()
        response.encoding = "utf-8"
        return response
    return _send(self, request, **kwargs)


HTTPAdapter.send = send


def main():
    target = sys.argv[1]
    profile = {"email": sys.argv[2]} if len(sys.argv) > 2 else None
    if target.endswith(".png") and not target.startswith("http"):
        badge_input = open(target, "rb")  # noqa: SIM115
    else:
        badge_input = target
    result = verify(badge_input, recipient_profile=profile, use_cache=False)
    report = result["report"]
    print(
        json.dumps(
            {
                "valid": report["valid"],
                "errorCount": report["errorCount"],
                "warningCount": report["warningCount"],
                "messages": report["messages"],
                "recipientProfile": report.get("recipientProfile"),
            },
            indent=1,
            ensure_ascii=False,
        )
    )
    graph = result.get("graph", [])
    for node in graph:
        if node.get("type") == "Assertion" and node.get("revoked"):
            print("REVOKED:", node.get("revocationReason"))
    sys.exit(0 if report["valid"] else 1)


if __name__ == "__main__":
    main()
