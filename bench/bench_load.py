"""Load test: gunicorn on PostgreSQL with Redis, 50 concurrent clients for
60 seconds mixing page views, feeds, searches and registrations on three
occurrences of 20 seats.

LOAD_MIX chooses the mix of requests (`MIXES`): « month » (the default) is
a real month of the atelier's traffic in proportion: mostly pages, calendar
applications polling the feeds, a few searches, and a few registrations
(a month of the demo agenda is a few thousand page views for some hundred
registrations; 3 % keeps 50 people racing for 60 seats). « stress » is the
earlier mix, one request in four a registration, kept to compare. Either
way the clients never pause between requests: 50 clients means 50 requests
in flight at every moment, far more than 50 people reading pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
    REDIS_URL=redis://127.0.0.1:6379/3 python bench/run.py bench_load

Expected: no 5xx, exactly 20 registrations holding a seat per occurrence
(confirmed, or pending until their mail's link is followed), every
other registrant on the waiting list, one confirmation message queued per
registration. Prints requests/s, p50/p95/p99 latency and the error count.
Bounded: loopback only (LOAD_PORT, 8113 by default), LOAD_SECONDS (60) and
at most LOAD_MAX_REQUESTS per client; rate limits are switched off for the
server (RATE_LIMITS_ENABLED=0: every client comes from 127.0.0.1).
"""

import datetime
import http.client
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import redis
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PORT = int(os.environ.get("LOAD_PORT", "8113"))
CLIENTS = int(os.environ.get("LOAD_CLIENTS", "50"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "5000"))
WORKERS = os.environ.get("LOAD_GUNICORN_WORKERS", "3")
THREADS = os.environ.get("LOAD_GUNICORN_THREADS", "4")
SEATS = 20
SEARCHES = ["libre", "atelier", "linux", "impression 3d", "badge", "inscription"]
FEEDS = ["/agenda/agenda.ics", "/agenda/rss/"]
MIXES = {
    "month": (("page", 0.80), ("feed", 0.12), ("search", 0.05), ("register", 0.03)),
    "stress": (("page", 0.55), ("feed", 0.15), ("search", 0.15), ("register", 0.15)),
}
MIX_NAME = os.environ.get("LOAD_MIX", "month")
MIX = MIXES[MIX_NAME]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- The data: three events of one occurrence and 20 seats ------------------


def make_events():
    from events.models import EventIndexPage, EventPage, EventType, Venue

    agenda = EventIndexPage.objects.get()
    start = (timezone.now() + datetime.timedelta(days=5)).replace(
        minute=0, second=0, microsecond=0
    )
    events = []
    for n in range(3):
        slug = f"charge-{n}"
        EventPage.objects.filter(slug=slug).delete()
        page = EventPage(
            title=f"Atelier sous charge n° {n + 1}",
            slug=slug,
            summary="Vingt places, cinquante personnes pressées.",
            start=start + datetime.timedelta(days=n),
            end=start + datetime.timedelta(days=n, hours=2),
            capacity=SEATS,
            max_seats_per_registration=1,
            event_type=EventType.objects.first(),
            venue=Venue.objects.first(),
        )
        agenda.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        events.append(page)
    return events


def page_urls():
    from wagtail.models import Page

    urls = [
        page.url
        for page in Page.objects.live().public().specific()[:40]
        if page.url and not page.url.startswith("/admin")
    ]
    return urls or ["/"]


# --- The server ----------------------------------------------------------------


def server_env():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "load-test-only-not-a-secret",
        # Production settings ask where the Open Badges 3.0 keys live.
        "BADGES_OB3_KEYS_DIR": os.environ.get(
            "BADGES_OB3_KEYS_DIR", str(ROOT / "var" / "ob3-keys")
        ),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "RATE_LIMITS_ENABLED": "0",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
        "DB_CONN_MAX_AGE": "60",
        "WAGTAILADMIN_BASE_URL": f"http://{HOST}:{PORT}",
    }
    return env


def start_server(report):
    env = server_env()
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    process = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "portal.wsgi",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            WORKERS,
            "--worker-class",
            "gthread",
            "--threads",
            THREADS,
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _, _ = request(http.client.HTTPConnection(HOST, PORT), "GET", "/")
            if status == 200:
                report(f"gunicorn: {WORKERS} workers x {THREADS} threads on :{PORT}")
                return process
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped")
        time.sleep(0.5)
    stop_server(process)
    raise RuntimeError("gunicorn did not answer in 60 s")


def stop_server(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- The clients ---------------------------------------------------------------


def request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    return response.status, response.getheaders(), data


class Client(threading.Thread):
    """One visitor: a keep-alive connection, its own cookies, a mix of
    requests until the deadline."""

    def __init__(self, number, deadline, pages, forms, results):
        # forms: [(form URL, occurrence key)]
        super().__init__(daemon=True)
        self.number = number
        self.deadline = deadline
        self.pages = pages
        self.forms = forms
        self.results = results
        self.random = random.Random(number)
        self.cookies = {}
        self.registrations = 0
        self.hits = Counter()  # per kind, answers served by the page cache

    def connect(self):
        return http.client.HTTPConnection(HOST, PORT, timeout=30)

    def send(self, conn, method, path, body=None, kind="page"):
        headers = {"Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            status, response_headers, data = request(conn, method, path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            self.results.append((kind, 0, time.perf_counter() - started, repr(error)))
            return None, None, conn.close() or self.connect()
        self.results.append((kind, status, time.perf_counter() - started, ""))
        for name, value in response_headers:
            if name.lower() == "x-page-cache" and value == "hit":
                self.hits[kind] += 1
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return status, data, conn

    def register(self, conn):
        form_url, occurrence = self.random.choice(self.forms)
        status, data, conn = self.send(conn, "GET", form_url, kind="form")
        if status != 200:
            return conn
        token = CSRF_INPUT.search(data.decode("utf-8", "replace"))
        if not token:
            self.results.append(("register", -1, 0.0, "form without token"))
            return conn
        self.registrations += 1
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "occurrence": occurrence,
                "name": f"Visiteur {self.number}-{self.registrations}",
                "email": f"charge-{self.number}-{self.registrations}@exemple.invalid",
                "phone": "",
                "seats": "1",
                "consent": "on",
                "website": "",
            }
        )
        _, _, conn = self.send(conn, "POST", form_url, body, kind="register")
        return conn

    def run(self):
        conn = self.connect()
        for _ in range(MAX_REQUESTS):
            if time.monotonic() >= self.deadline:
                break
            kind = self.random.choices(
                [kind for kind, _ in MIX], [weight for _, weight in MIX]
            )[0]
            if kind == "page":
                _, _, conn = self.send(conn, "GET", self.random.choice(self.pages))
            elif kind == "feed":
                _, _, conn = self.send(
                    conn, "GET", self.random.choice(FEEDS), kind="feed"
                )
            elif kind == "search":
                query = urllib.parse.quote(self.random.choice(SEARCHES))
                _, _, conn = self.send(
                    conn, "GET", f"/recherche/?q={query}", kind="search"
                )
            else:
                conn = self.register(conn)
        conn.close()


def percentile(values, fraction):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))]


# --- The run -------------------------------------------------------------------


def run(report):
    if connection.vendor != "postgresql":
        report("skipped: the load test needs DATABASE_URL=postgres://… (and Redis)")
        return
    from events.models import Registration
    from portal.models import OutgoingMail

    events = make_events()
    forms = []
    for event in events:
        key = event.occurrences(start=timezone.now())[0].key
        forms.append(
            (f"{event.url}inscription/?date={urllib.parse.quote(key, safe='')}", key)
        )
    pages = page_urls() + [event.url for event in events]
    Registration.objects.filter(event__in=events).delete()
    OutgoingMail.objects.all().delete()
    connection.close()  # the server's workers use the database now
    # The server's page cache (its own Redis database) starts empty.
    redis.Redis.from_url(server_env()["REDIS_URL"]).flushdb()

    process = start_server(report)
    results = []
    try:
        deadline = time.monotonic() + SECONDS
        started = time.monotonic()
        clients = [Client(n, deadline, pages, forms, results) for n in range(CLIENTS)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=SECONDS + 120)
        elapsed = time.monotonic() - started
    finally:
        stop_server(process)

    statuses = Counter(status for _, status, _, _ in results)
    kinds = Counter(kind for kind, _, _, _ in results)
    latencies = [seconds * 1000 for _, status, seconds, _ in results if status > 0]
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    failures = sum(n for status, n in statuses.items() if status <= 0)
    report(
        f"mix « {MIX_NAME} » ({', '.join(f'{k} {w:.0%}' for k, w in MIX)}), "
        f"load {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end"
    )
    report(
        f"{CLIENTS} clients, {elapsed:.0f} s: {len(results)} requests, "
        f"{len(results) / elapsed:.1f} req/s"
    )
    p50, p95, p99 = (percentile(latencies, f) for f in (0.50, 0.95, 0.99))
    report(
        f"latency ms: p50 {p50:.0f}, p95 {p95:.0f}, p99 {p99:.0f}, "
        f"max {max(latencies or [0]):.0f}"
    )
    hits = sum((client.hits for client in clients), Counter())
    for kind in sorted(kinds):
        times = [t * 1000 for k, status, t, _ in results if k == kind and status > 0]
        report(
            f"  {kind:9} {kinds[kind]:6d} requests, p50 {percentile(times, 0.5):6.0f} "
            f"ms, p95 {percentile(times, 0.95):6.0f} ms, "
            f"{hits[kind] / kinds[kind]:4.0%} from the page cache"
        )
    report("statuses: " + ", ".join(f"{s} x{n}" for s, n in sorted(statuses.items())))
    report(f"errors: {server_errors} 5xx, {failures} failed connections")

    ok = server_errors == 0 and failures == 0
    total_registrations = 0
    for event in events:
        registrations = Registration.objects.filter(event=event)
        # A registration holds its seat from the POST on (confirmed, or
        # pending until the mail's link is followed: nobody follows it here).
        holding = registrations.filter(
            status__in=[Registration.Status.CONFIRMED, Registration.Status.PENDING]
        ).count()
        waiting = registrations.filter(status=Registration.Status.WAITING).count()
        total = registrations.count()
        total_registrations += total
        expected = min(SEATS, total)
        fine = holding == expected and holding + waiting == total
        ok &= fine
        report(
            f"{event.slug}: {total} registrations, {holding} holding a seat "
            f"(confirmed or awaiting their mail's link), {waiting} waiting "
            f"{'OK' if fine else 'WRONG'}"
        )
    registration_ids = {
        str(pk)
        for pk in Registration.objects.filter(event__in=events).values_list(
            "pk", flat=True
        )
    }
    queued = OutgoingMail.objects.count()
    about = set(OutgoingMail.objects.values_list("about_id", flat=True))
    posted = kinds["register"]
    mails_ok = queued == len(registration_ids) == posted and about == registration_ids
    report(
        f"registrations POSTed {posted}, stored {total_registrations}, "
        f"messages queued {queued} (one per registration: "
        f"{'OK' if mails_ok else 'WRONG'})"
    )
    ok &= mails_ok
    report("RESULT: " + ("OK" if ok else "FAILED"))
