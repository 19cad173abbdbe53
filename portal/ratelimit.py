"""Rate limits on what the public may send, shared by every worker.

The rule: each limit is a name with a number of hits allowed in a fixed
window of seconds (`DEFAULT_LIMITS`, overridden one by one by the setting
`RATE_LIMITS`). A hit is counted per key (the visitor's address from
`portal.clientip`, an e-mail address, a volunteer…) in the default Django
cache, which is Redis in production, so all workers share the counts. The
hit past the limit raises `RateLimited`; `RateLimitMiddleware` turns it into
the French 429 page saying when to come back, with a `Retry-After` header.
Keys are hashed: no e-mail address or address is stored in the cache.

`RATE_LIMITS_ENABLED = False` switches every limit off, and
`RATE_LIMIT_FACTOR` multiplies every allowance (load tests).

The address-only login rule lives here too: django-axes locks a username
tried from one address (`AXES_FAILURE_LIMIT`); `LoginAddressBackend` locks an
address that failed too often whatever the usernames (password spraying).
"""

import hashlib
import math
import time
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .clientip import client_ip

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# name: (hits allowed, window in seconds)
DEFAULT_LIMITS = {
    # Every POST of the registration form from one address, valid or not.
    "registration-address": (20, HOUR),
    # Registrations stored for one e-mail address, whatever the event.
    "registration-email": (10, HOUR),
    # Registrations to one date from one network (events.registrations.rules).
    "registration-network": (3, HOUR),
    # Every POST of a badge request form from one address.
    "badge-request-address": (10, HOUR),
    # Badge requests stored for one e-mail address.
    "badge-request-email": (5, DAY),
    # Every POST of the volunteer contact form from one address.
    "contact-address": (5, HOUR),
    # Messages relayed to one volunteer, from anyone.
    "contact-volunteer": (20, DAY),
    # Searches from one address.
    "search-address": (60, MINUTE),
    # Failed admin logins from one address, whatever the usernames.
    "login-address": (30, HOUR),
    # Every POST of the appointment form or of a manage link from one address.
    "appointment-address": (20, HOUR),
    # Appointment requests for one e-mail or phone (each may mail its owner).
    "appointment-contact": (6, HOUR),
    # Every POST of « Recevoir l'agenda par e-mail » from one address.
    "agenda-subscription-address": (10, HOUR),
    # Confirmation mails sent to one e-mail address (no mail-bombing).
    "agenda-subscription-email": (5, DAY),
    # Fediverse inbox POSTs from one address, and signed by one server's
    # keys (events.fediverse.views): a server delivers once per activity.
    "fediverse-inbox-address": (120, MINUTE),
    "fediverse-inbox-host": (120, MINUTE),
}


class RateLimited(Exception):
    """Over the limit `name`; come back in `retry_after` seconds."""

    def __init__(self, name, retry_after):
        super().__init__(f"rate limit {name} exceeded")
        self.name = name
        self.retry_after = max(1, int(retry_after))


def enabled():
    return getattr(settings, "RATE_LIMITS_ENABLED", True)


def get_limit(name):
    """(hits allowed, window in seconds) of the limit `name`."""
    limits = {**DEFAULT_LIMITS, **getattr(settings, "RATE_LIMITS", {})}
    allowed, window = limits[name]
    factor = getattr(settings, "RATE_LIMIT_FACTOR", 1)
    return max(1, math.floor(allowed * factor)), int(window)


def _window(name, key):
    allowed, window = get_limit(name)
    now = time.time()
    index = int(now // window)
    digest = hashlib.sha256(str(key).strip().lower().encode()).hexdigest()[:32]
    retry_after = (index + 1) * window - now
    return f"ratelimit:{name}:{digest}:{index}", allowed, window, retry_after


def _count(cache_key, window):
    # add() then incr() is atomic on Redis and within one process elsewhere.
    if cache.add(cache_key, 1, window + MINUTE):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between the two calls
        cache.set(cache_key, 1, window + MINUTE)
        return 1


def hit(name, key):
    """Count one hit of `key` against the limit `name`; raise RateLimited
    when it goes past the allowance (that hit is counted too)."""
    if not enabled():
        return
    cache_key, allowed, window, retry_after = _window(name, key)
    if _count(cache_key, window) > allowed:
        raise RateLimited(name, retry_after)


def check(name, key):
    """Raise RateLimited when `key` is already at its allowance, without
    counting anything (for a hit counted later, once it is known to count)."""
    if not enabled():
        return
    cache_key, allowed, _window_seconds, retry_after = _window(name, key)
    if (cache.get(cache_key) or 0) >= allowed:
        raise RateLimited(name, retry_after)


def hit_address(request, name):
    """Count a hit of the visitor's address against `name`."""
    hit(name, client_ip(request))


def limit_address(name, methods=("POST",)):
    """View decorator: every request with one of `methods` counts one hit
    of the visitor's address against `name`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                hit_address(request, name)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def too_many_requests(request, limited):
    """The French 429 page for a RateLimited."""
    minutes = max(1, math.ceil(limited.retry_after / MINUTE))
    back_at = timezone.localtime() + timedelta(seconds=limited.retry_after)
    if minutes < 120:
        wait = ngettext("dans %(n)d minute", "dans %(n)d minutes", minutes) % {
            "n": minutes
        }
    else:
        hours = math.ceil(minutes / 60)
        wait = ngettext("dans %(n)d heure", "dans %(n)d heures", hours) % {"n": hours}
    response = render(
        request,
        "429.html",
        {
            "wait": wait,
            "back_at": back_at,
            "message": _(
                "Vous avez fait trop de demandes en peu de temps. Pour protéger "
                "le site, nous ne pouvons pas traiter la suivante tout de suite."
            ),
        },
        status=429,
    )
    response["Retry-After"] = str(limited.retry_after)
    response["Cache-Control"] = "private, no-store"
    return response


class RateLimitMiddleware:
    """Turns a RateLimited raised by a view into the 429 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return too_many_requests(request, exception)
        return None


# -- Admin login: the address-only rule ----------------------------------------


class LoginAddressBackend:
    """First authentication backend: refuses every login attempt from an
    address with too many recent failures, and shows django-axes' lockout
    page (axes' own rule counts per username and address)."""

    def authenticate(self, request, **credentials):
        if request is None:
            return None
        try:
            check("login-address", client_ip(request))
        except RateLimited:
            request.axes_locked_out = True
            raise PermissionDenied from None
        return None


def count_login_failure(sender, credentials=None, request=None, **kwargs):
    """Receiver of `user_login_failed` (connected in PortalConfig.ready)."""
    if request is None:
        return
    try:
        hit("login-address", client_ip(request))
    except RateLimited:
        pass
