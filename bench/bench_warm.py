"""Warm /agenda/ against a static file, under gunicorn (2 workers) with the
production settings and Redis (DB 2): requests per second of the agenda
answered by the page cache, of the same agenda with PORTAL_PAGE_CACHE=off,
and of a CSS file served by WhiteNoise in the same server. Target: the
cached agenda at least 50 % of the static file.

Measured with `wrk` when installed (apt-get install wrk), else with a bounded
client of threads and http.client. Alone: `python bench/run.py bench_warm`.
Settings: BENCH_WARM_SECONDS (5 per round), BENCH_WARM_CONNECTIONS (8),
BENCH_REDIS_URL (redis://127.0.0.1:6379/2), BENCH_WARM_PORT (8112),
BENCH_GUNICORN_ARGS (extra gunicorn options).
"""

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import redis

from bench import serving

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_WARM_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_WARM_CONNECTIONS", "8"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
PORT = int(os.environ.get("BENCH_WARM_PORT", "8112"))
# Extra gunicorn options, e.g. "--worker-class=gthread --threads=4".
GUNICORN_ARGS = os.environ.get("BENCH_GUNICORN_ARGS", "").split()
ROUNDS = 3
PAGE = "/agenda/"

SETTINGS = """
import os
from portal.settings.production import *

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
CACHES["default"]["KEY_PREFIX"] = os.environ["BENCH_KEY_PREFIX"]
"""


def _env(workdir, page_cache):
    return serving.portal_env(
        ROOT,
        workdir,
        "bench_warm_settings",
        port=PORT,
        redis_url=REDIS_URL,
        key_prefix=f"bench-warm-{os.getpid()}",
        page_cache=page_cache,
    )


def _get(path):
    return serving.get(PORT, path, host="127.0.0.1")


def Server(env, log):  # noqa: N802 (reads as the class it makes)
    return serving.Server(
        sys.executable,
        "portal.wsgi",
        ROOT,
        env,
        PORT,
        log,
        ready_path="/robots.txt",
        extra_args=GUNICORN_ARGS,
    )


def _wrk(path):
    return serving.wrk(
        PORT, path, connections=CONNECTIONS, seconds=SECONDS, host="127.0.0.1"
    )


def _threads(path):
    """CONNECTIONS threads, each asking again and again for SECONDS."""
    counts = [0] * CONNECTIONS
    failures = []
    stop_at = time.monotonic() + SECONDS

    def client(slot):
        while time.monotonic() < stop_at:
            try:
                status = _get(path)[0]
            except OSError as error:
                failures.append(repr(error))
                continue
            if status != 200:
                failures.append(status)
            counts[slot] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CONNECTIONS)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 30)
    elapsed = time.monotonic() - start
    if failures:
        raise RuntimeError(f"{path}: {len(failures)} failures, e.g. {failures[0]}")
    return sum(counts) / elapsed


def _measure(path):
    """Best of ROUNDS rounds, requests per second."""
    tool = _wrk if shutil.which("wrk") else _threads
    return max(tool(path) for _ in range(ROUNDS))


def _forget_keys():
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"bench-warm-{os.getpid()}:*"):
        client.delete(key)


def _collectstatic(workdir, log):
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=_env(workdir, "on"),
        stdout=log,
        stderr=subprocess.STDOUT,
        timeout=600,
        check=True,
    )


def run(report):
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        report(f"skipped: Redis {REDIS_URL} does not answer ({error})")
        return
    workdir = ROOT / "tmp" / "bench-warm"
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "bench_warm_settings.py").write_text(SETTINGS)
    client = "wrk" if shutil.which("wrk") else "threads + http.client"
    report(
        f"gunicorn 2 workers, production settings, Redis {REDIS_URL}; "
        f"{client}, {CONNECTIONS} connections, best of {ROUNDS} × {SECONDS:g} s"
    )
    with (workdir / "gunicorn.log").open("w") as log:
        if not (workdir / "static" / "staticfiles.json").exists():
            _collectstatic(workdir, log)
        rates = {}
        with Server(_env(workdir, "on"), log):
            status, headers, body = _get(PAGE)
            css = re.search(rb'href="(/static/[^"]+\.css)"', body)[1].decode()
            status, headers, body = _get(PAGE)
            if status != 200 or headers.get("X-Page-Cache") != "hit":
                raise RuntimeError(f"{PAGE} is not served by the page cache")
            rates["static"] = _measure(css)
            rates["cached"] = _measure(PAGE)
        with Server(_env(workdir, "off"), log):
            rates["uncached"] = _measure(PAGE)
    _forget_keys()
    report(f"{'static file ' + css:60} {rates['static']:8.0f} req/s")
    report(f"{PAGE + ' page cache on (warm)':60} {rates['cached']:8.0f} req/s")
    report(f"{PAGE + ' PORTAL_PAGE_CACHE=off':60} {rates['uncached']:8.0f} req/s")
    ratio = rates["cached"] / rates["static"]
    verdict = "met" if ratio >= 0.5 else "NOT met"
    report(f"cached agenda / static file: {ratio:.0%} (target ≥ 50 %: {verdict})")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from bench import run as bench_run

    bench_run.main(["bench_warm"])
