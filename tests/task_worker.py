"""The task worker as the tests run it."""

import signal

from django.core.management import call_command


def run_worker():
    """`manage.py db_worker --batch`: what is due now, then exit (the signal
    handlers it installs are put back, so that pytest's own still work)."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, verbosity=0
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
