"""The agenda on the fediverse (ActivityPub).

The agenda, and each partner for its own events, is an ActivityPub actor
found by WebFinger (`@agenda@<site>`). Fediverse accounts follow it (Follow →
signed Accept) and receive each published event as an `Event` object:
Create on publication, Update on change, Delete on withdrawal. Every
delivery is signed (HTTP Signatures, draft-cavage, RSA-SHA256, as Mastodon
requires) and goes through the task queue with retries; every inbox POST is
verified. Nothing about registrants is ever federated.

Modules: `keys` (the key pair, a file outside the database), `signatures`
(signing and verifying requests), `client` (outgoing HTTP), `objects` (the
JSON documents), `inbox` (what a received activity does), `delivery` (the
tasks), `views` / `urls`, `viewsets` (followers in the admin).
"""
