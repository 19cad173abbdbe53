"""What the benchmarks that serve the site for real share: a gunicorn
server started and stopped with the bench, a GET, and `wrk`'s throughput."""

import http.client
import os
import re
import shutil
import signal
import subprocess
import time


def portal_env(
    root, workdir, settings_module, *, port, redis_url, key_prefix, page_cache
):
    """The portal's environment under gunicorn in a bench: production
    settings (`settings_module`, written in `workdir`, takes its static root
    and cache key prefix from BENCH_STATIC_ROOT and BENCH_KEY_PREFIX), plain
    HTTP on the loopback, rate limits off (every client is 127.0.0.1),
    persistent database connections, Redis at `redis_url`."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(workdir), str(root)]),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "BENCH_STATIC_ROOT": str(workdir / "static"),
        "BENCH_KEY_PREFIX": key_prefix,
        "SECRET_KEY": "bench-only-key",
        "BADGES_OB3_KEYS_DIR": os.environ.get(
            "BADGES_OB3_KEYS_DIR", str(root / "var" / "ob3-keys")
        ),
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "RATE_LIMITS_ENABLED": "0",
        "DB_CONN_MAX_AGE": "500",
        "REDIS_URL": redis_url,
        "PORTAL_PAGE_CACHE": page_cache,
    }


def get(port, path, host=None):
    """``(status, headers, body)`` of one GET on 127.0.0.1:``port``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Host": host} if host else {}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


class Server:
    """gunicorn with 2 sync workers; stopped however the bench ends. Ready
    when ``ready_path`` answers (any status below 500)."""

    def __init__(
        self, python, app, cwd, env, port, log, *, ready_path="/", extra_args=()
    ):
        self.port = port
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(python),
                "-m",
                "gunicorn",
                app,
                f"--bind=127.0.0.1:{port}",
                "--workers=2",
                "--timeout=60",
                *extra_args,
            ],
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped, see {log.name}")
            try:
                if get(port, ready_path)[0] < 500:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn does not answer, see {log.name}")
            time.sleep(0.2)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def wrk(port, path, *, connections, seconds, host=None):
    """Requests per second `wrk` gets from ``path`` (2 threads); an error
    response stops the bench rather than counting as speed."""
    command = [shutil.which("wrk"), "-t2", f"-c{connections}", f"-d{seconds:g}s"]
    if host:
        command += ["-H", f"Host: {host}"]
    result = subprocess.run(  # noqa: S603
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)[1])
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if errors:
        raise RuntimeError(f"{path}: {errors[1]} error responses")
    return rate
