"""A page-cache hit against a static file through the same server (issue 31),
alone: the last part of bench_vs_bakerydemo, without bakerydemo.

    .venv/bin/python bench/bench_hit.py     # on ./db.sqlite3 (make setup)
    python bench/run.py bench_hit          # on the benches' own database

gunicorn with 2 sync workers, production settings, WhiteNoise, the cache in
Redis BENCH_HIT_REDIS_URL; `wrk` with BENCH_HIT_CONNECTIONS (8)
connections, the static file and /agenda/ measured in turn, best of
BENCH_HIT_ROUNDS (3) rounds of BENCH_HIT_SECONDS (3) s, on port
BENCH_HIT_PORT (8206). Measures; asserts nothing.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import serving  # noqa: E402

REDIS_URL = os.environ.get("BENCH_HIT_REDIS_URL", "redis://127.0.0.1:6379/5")
PORT = int(os.environ.get("BENCH_HIT_PORT", "8206"))
SECONDS = float(os.environ.get("BENCH_HIT_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_HIT_CONNECTIONS", "8"))
ROUNDS = int(os.environ.get("BENCH_HIT_ROUNDS", "3"))
PATH = os.environ.get("BENCH_HIT_PATH", "/agenda/")
PREFIX = f"bench-hit-{os.getpid()}"

SETTINGS = """
import os
from portal.settings.production import *

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
CACHES["default"]["KEY_PREFIX"] = os.environ["BENCH_KEY_PREFIX"]
"""


def env(workdir):
    return {
        **serving.portal_env(
            ROOT,
            workdir,
            "bench_hit_settings",
            port=PORT,
            redis_url=REDIS_URL,
            key_prefix=PREFIX,
            page_cache="on",
        ),
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}"
        ),
    }


def worker_cpu(master):
    """CPU seconds the gunicorn workers of `master` have used so far."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def measure(master, path):
    """(requests per second, worker CPU µs per request) of `wrk` on path."""
    before = worker_cpu(master)
    result = subprocess.run(  # noqa: S603
        [
            shutil.which("wrk"),
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS:g}s",
            f"http://127.0.0.1:{PORT}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    cpu = worker_cpu(master) - before
    if "Non-2xx" in result.stdout:
        raise RuntimeError(f"{path}: error responses")
    count = int(re.search(r"(\d+) requests in", result.stdout)[1])
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)[1])
    return rate, cpu / count * 1e6


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(report):
    workdir = ROOT / "tmp" / "bench-hit"
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "bench_hit_settings.py").write_text(SETTINGS)
    with (workdir / "bench.log").open("w") as log:
        if not (workdir / "static" / "staticfiles.json").exists():
            subprocess.run(  # noqa: S603
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT,
                env=env(workdir),
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
            )
        report(f"load {load()} at start")
        with serving.Server(
            sys.executable, "portal.wsgi", ROOT, env(workdir), PORT, log
        ) as server:
            body = serving.get(PORT, PATH)[2]
            css = re.search(rb'href="(/static/[^"]+\.css)"', body)[1].decode()
            # Both workers: a few requests each.
            for _ in range(10):
                headers = serving.get(PORT, PATH)[1]
            if headers.get("X-Page-Cache") != "hit":
                raise RuntimeError(f"{PATH} is not served by the page cache")
            master = server.process.pid
            static = hit = 0
            static_cpu = hit_cpu = float("inf")
            for _ in range(ROUNDS):
                rate_s, cpu_s = measure(master, css)
                rate_h, cpu_h = measure(master, PATH)
                report(
                    f"  static {rate_s:6.0f} req/s {cpu_s:5.0f} µs CPU/req   "
                    f"hit {rate_h:6.0f} req/s {cpu_h:5.0f} µs CPU/req"
                )
                static, hit = max(static, rate_s), max(hit, rate_h)
                static_cpu, hit_cpu = min(static_cpu, cpu_s), min(hit_cpu, cpu_h)
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{PREFIX}*"):
        client.delete(key)
    report(f"static {css}: {static:.0f} req/s")
    report(f"{PATH} from the page cache: {hit:.0f} req/s")
    report(f"hit / static: {hit / static:.0%}; load {load()} at the end")
    report(
        f"workers' CPU per request: static {static_cpu:.0f} µs, hit {hit_cpu:.0f} µs "
        f"(static / hit: {static_cpu / hit_cpu:.0%})"
    )


if __name__ == "__main__":
    run(lambda line: print(line, flush=True))
