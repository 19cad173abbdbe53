"""The agenda by e-mail: double opt-in, digests, unsubscribe (RFC 8058)."""
