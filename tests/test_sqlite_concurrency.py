"""`make run`'s SQLite database takes concurrent registrations: no « database
is locked », and still never more seats held than the capacity. Runs
real threads against a real SQLite file (the test database is in memory;
the file is a copy of it as migrated), in a child process with the
development settings' database options."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import datetime, django
from functools import partial
django.setup()
from django.db import connection
from django.test import Client
from django.utils import timezone
from events.models import EventIndexPage, Registration
from portal.factories import create_site_tree
from tests.concurrency import at_once
from tests.factories.events import create_event

create_site_tree()
start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
event = create_event(EventIndexPage.objects.get(), start=start, capacity=3,
                     max_seats_per_registration=1)
event.refresh_from_db()
key = event.occurrences(start=timezone.now())[0].key
url = event.url + "inscription/"
connection.close()

def post(n, ready):
    client = Client()
    ready()
    response = client.post(url, {"occurrence": key, "name": f"P {n}",
        "email": f"p{n}@exemple.fr", "phone": "", "seats": "1",
        "consent": "on", "website": ""})
    return str(response.status_code)

results, errors = at_once([partial(post, n) for n in range(12)])
held = Registration.objects.filter(status="pending").count()
print("RESULTS", sorted(map(str, results)), errors)
print("HELD", held, "STORED", Registration.objects.count())
"""


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite only (PostgreSQL has its own concurrency tests)",
)
# Marked so that the test database is created: the file is copied from it.
@pytest.mark.django_db
def test_concurrent_registrations_on_sqlite(migrated_sqlite_file):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{migrated_sqlite_file}",
        "RATE_LIMITS_ENABLED": "0",
        "PYTHONPATH": str(ROOT),
    }
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "locked" not in run.stdout + run.stderr
    results = run.stdout.split("RESULTS", 1)[1].splitlines()[0]
    assert results.count("'200'") == 12, run.stdout
    # Each seat is held for its address to confirm (events.registrations.rules).
    assert "HELD 3 STORED 12" in run.stdout
