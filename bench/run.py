"""Run every benchmark in bench/ (modules named bench_*.py, each with a
`run(report)` function) against a throw-away database.

    make bench                       # SQLite file in tmp/
    DATABASE_URL=postgres://… make bench
    make bench-load                  # bench_load.py: gunicorn + PostgreSQL + Redis

Benchmarks measure; they assert nothing. Results are printed and written to
bench/results/latest.txt.
"""

import importlib
import os
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'tmp' / 'bench.sqlite3'}")


class Report:
    def __init__(self):
        self.lines = []

    def __call__(self, line):
        print(line, flush=True)
        self.lines.append(line)


def timed_get(client, url, repeat=20):
    """Median wall time (ms) and query count of GET url."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches
    times = []
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Read now: the next request's request_started signal empties the log.
    query_count = len(queries)
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return response.status_code, times[len(times) // 2], query_count


def main(names):
    (ROOT / "tmp").mkdir(exist_ok=True)
    db_url = os.environ["DATABASE_URL"]
    # BENCH_REUSE_DATABASE=1: keep the SQLite file of the last run (set up
    # with the demo data already), to run one benchmark again quickly.
    reuse = (
        os.environ.get("BENCH_REUSE_DATABASE") == "1"
        and db_url.startswith("sqlite:///")
        and Path(db_url.removeprefix("sqlite:///")).exists()
    )
    if reuse:
        pass
    elif db_url.startswith("sqlite:///"):
        Path(db_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    elif os.environ.get("BENCH_RESET_DATABASE") == "1":  # make bench-load
        name = db_url.rsplit("/", 1)[1]
        with psycopg.connect(db_url.rsplit("/", 1)[0] + "/postgres") as admin:
            admin.autocommit = True
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not reuse:
        call_command("setup_portal", verbosity=0)
        call_command("load_demo_data", "--no-accounts", verbosity=0)

    report = Report()
    report(f"database: {django.db.connection.vendor}")
    modules = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    for name in modules:
        if names and name not in names:
            continue
        report(f"\n## {name}")
        importlib.import_module(f"bench.{name}").run(report)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.txt").write_text("\n".join(report.lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
