"""The WSGI module production runs (`gunicorn portal.wsgi`; it serves pages
in tests/test_page_cache_two_servers.py): the code it loads is frozen out
of the garbage collector, so full collections walk only what requests leave
(issue 31: 0.4 ms of every cold page went to walking Django's and Wagtail's
objects again and again)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Loads portal.wsgi as gunicorn does.
PROBE = """
import gc, json, sys
before = gc.get_freeze_count()
import portal.wsgi
from django.core.handlers.wsgi import WSGIHandler
print(json.dumps({
    "before": before,
    "frozen": gc.get_freeze_count(),
    "views_loaded": "events.agenda.views" in sys.modules,
    "handler": isinstance(portal.wsgi.application, WSGIHandler),
}))
"""


def test_wsgi_module_freezes_the_code_it_loads(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        # Loading reads no table; a file of its own all the same.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    completed = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    probe = json.loads(completed.stdout.strip().splitlines()[-1])
    assert probe["handler"]
    assert probe["before"] == 0
    # The views the URLs reach were loaded before the freeze, and the bulk of
    # what was loaded (Django, Wagtail, the project) is frozen.
    assert probe["views_loaded"]
    assert probe["frozen"] > 100_000
