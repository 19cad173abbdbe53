"""Is this instance fit to serve? The rule behind `/sante/`.

Healthy means: the database answers, the cache stores and returns a value,
and the task queue is being worked (its oldest task due to run waits less
than PORTAL_HEALTH_MAX_TASK_AGE seconds, 10 minutes by default, i.e. a worker
is alive). The report holds counts and ages only, never personal data.
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, Min, When
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import OutgoingMail

CACHE_KEY = "portal:sante"


def max_task_age():
    return getattr(settings, "PORTAL_HEALTH_MAX_TASK_AGE", 600)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_cache():
    token = secrets.token_hex(8)
    cache.set(CACHE_KEY, token, 30)
    return {"ok": cache.get(CACHE_KEY) == token}


def check_tasks(now=None):
    now = now or timezone.now()
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        # Immediate or dummy backend: nothing waits in a queue.
        return {"ok": True, "backend": type(backend).__name__}
    ready = DBTaskResult.objects.ready().annotate(
        due=Case(
            When(run_after=get_date_max(), then=F("enqueued_at")),
            default=F("run_after"),
        )
    )
    oldest = ready.aggregate(oldest=Min("due"))["oldest"]
    age = max(0, int((now - oldest).total_seconds())) if oldest else 0
    return {
        "ok": age <= max_task_age(),
        "pending": ready.count(),
        "oldest_pending_age_seconds": age,
        "mail_failed": OutgoingMail.objects.filter(
            status=OutgoingMail.Status.FAILED
        ).count(),
    }


CHECKS = {"database": check_database, "cache": check_cache, "tasks": check_tasks}


def report():
    """(healthy, report): each check's outcome; a check that raises is
    reported by the name of its error only."""
    checks = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = check()
        except Exception as error:
            checks[name] = {"ok": False, "error": type(error).__name__}
    healthy = all(result["ok"] for result in checks.values())
    return healthy, {"status": "ok" if healthy else "erreur", "checks": checks}
