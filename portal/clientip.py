"""The visitor's address, as every rate limit and the login lockout see it.

The rule: `X-Forwarded-For` is trusted only as far as the setting
`TRUSTED_PROXY_COUNT` says. With 0 (the default) the address is the TCP peer
(`REMOTE_ADDR`) and the header is ignored, so nobody chooses their own
address. With N reverse proxies in front of the application, each appending
the address it saw, the visitor is the N-th entry from the right of the
header; whatever a client wrote to the left of it is ignored. A request that
did not go through all the proxies (header missing or too short) is counted
under its TCP peer. The header is parsed by django-ipware.
"""

from django.conf import settings
from ipware import get_client_ip

UNKNOWN = "unknown"


def trusted_proxy_count():
    return max(0, int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0))


def client_ip(request):
    """The visitor's address as a string (never empty)."""
    peer = request.META.get("REMOTE_ADDR") or UNKNOWN
    proxies = trusted_proxy_count()
    if not proxies:
        return peer
    # The last proxy is the TCP peer; the N-1 others are the right-most
    # entries of the header, and the visitor sits just left of them.
    # Non-strict: entries a client forged on the left are allowed (ignored).
    ip, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=("HTTP_X_FORWARDED_FOR",),
        strict=False,
    )
    return ip or peer


def axes_client_ip(request):
    """The same address for django-axes, or None when the request has none
    (a test client's `force_login`): axes stores it in an IP address column,
    which PostgreSQL refuses to fill with « unknown »."""
    ip = client_ip(request)
    return None if ip == UNKNOWN else ip
