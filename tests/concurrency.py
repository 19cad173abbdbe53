"""Requests at the same moment, for the concurrency tests: each job in its
own thread with its own database connection, released together. They
need PostgreSQL's row locks to prove anything (SQLite serialises every
write): such a module is marked `postgres` and uses the `postgres_only`
fixture of `tests/conftest.py`, which skips it on SQLite.

    def book(email, ready):
        event = EventPage.objects.get(pk=event_pk)  # read first…
        ready()  # …then everyone at the same time
        return rules.book(event, …)

    returned, raised = at_once([partial(book, email) for email in emails])
"""

import threading

from django.db import connections


def at_once(jobs):
    """Run every `job(ready)` in its own thread; each calls `ready()` once it
    has read what it needs, and they all go on from there together.
    Returns (what each job returned, in the order of `jobs`, None where it
    raised; the repr of every exception a job raised)."""
    barrier = threading.Barrier(len(jobs))
    returned = [None] * len(jobs)
    raised = []

    def ready():
        barrier.wait(timeout=30)

    def run(index, job):
        try:
            returned[index] = job(ready)
        except Exception as error:  # noqa: BLE001 (reported to the test)
            raised.append(repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, job))
        for index, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return returned, raised
