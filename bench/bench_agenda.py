"""The agenda at any size: cold time and queries of the pages that list
events, with 10, 1,000 and 10,000 events of history (eight years, about 3 %
upcoming, a fifth recurring monthly for six months), built through the
test factories; and the time to rebuild the stored dates of one edited
recurring event.

Cold: Django's cache emptied before every request and the visitors' page
cache off (as with PORTAL_PAGE_CACHE=off), so each request does all its
work. Measured twice: in this process (wall and CPU time; the CPU time is
what a shared machine reads best), and over HTTP from gunicorn with the
production settings and Redis (flushed before every request), as an
outside benchmark sees it (skipped without Redis: BENCH_AGENDA_HTTP=0 to
skip it anyway). Targets (issue 11): at 10,000 events each page within 1.5x its time
at 10 events (2x for agenda.ics), the same queries; a rebuild under 50 ms.
"""

import datetime
import os
import random
import statistics
import time
from pathlib import Path

from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.agenda import occurrences
from events.models import EventIndexPage, EventPage, EventType
from home.models import Partner
from tests.factories.events import create_event

from . import bench_warm

# BENCH_AGENDA_SIZES=10,200 for a quick try.
SIZES = [
    int(n) for n in os.environ.get("BENCH_AGENDA_SIZES", "10,1000,10000").split(",")
]
# Each cold request is the same work: the fastest of REPEAT is its cost,
# the slower ones measured the neighbours on a shared machine.
REPEAT = 11
HISTORY = datetime.timedelta(days=8 * 365)
UPCOMING_SHARE = 0.03
RECURRING_SHARE = 0.2
TARGETS = {"/agenda/agenda.ics": 2.0}
DEFAULT_TARGET = 1.5
RESULTS = Path(__file__).resolve().parent / "results"
HTTP = os.environ.get("BENCH_AGENDA_HTTP", "1") != "0"


def urls():
    today = timezone.localdate()
    event = EventPage.objects.live().order_by("path").first()
    return [
        "/",
        "/agenda/",
        "/agenda/?periode=passes&page=3",
        f"/agenda/calendrier/{today.year}/{today.month}/",
        event.url,
        "/agenda/agenda.ics",
    ]


def cold_get(client, url):
    """Fastest cold wall time and CPU time (ms) of REPEAT requests, and the
    query count. The CPU time of this process (SQLite runs in it) is what
    the ratios read: on a shared machine wall time also measures the
    neighbours."""
    times, cpu, counts, status = [], [], [], None
    for _ in range(REPEAT):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            cpu.append((time.process_time() - started_cpu) * 1000)
            times.append((time.perf_counter() - started) * 1000)
        counts.append(len(queries))
        status = response.status_code
    return status, min(times), min(cpu), max(counts)


class HttpCold:
    """gunicorn (bench_warm.Server: 2 workers, production settings, page
    cache off) on the bench's database; each request after Redis lost the
    bench's keys."""

    def __init__(self):
        self.workdir = bench_warm.ROOT / "tmp" / "bench-warm"
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "bench_warm_settings.py").write_text(bench_warm.SETTINGS)
        self.log = (self.workdir / "gunicorn-agenda.log").open("w")
        if not (self.workdir / "static" / "staticfiles.json").exists():
            bench_warm._collectstatic(self.workdir, self.log)

    def times(self, urls):
        """{url: (status, fastest ms)}"""
        found = {}
        with bench_warm.Server(bench_warm._env(self.workdir, "off"), self.log):
            for url in urls:
                bench_warm._get(url)  # the worker's first request loads code
                times, status = [], None
                for _ in range(REPEAT):
                    bench_warm._forget_keys()
                    started = time.perf_counter()
                    status = bench_warm._get(url)[0]
                    times.append((time.perf_counter() - started) * 1000)
                found[url] = (status, min(times))
        return found


def http_available():
    if not HTTP:
        return False
    try:
        bench_warm.redis.Redis.from_url(bench_warm.REDIS_URL, socket_timeout=2).ping()
    except bench_warm.redis.RedisError:
        return False
    return True


def add_events(agenda, count, rng, types, partners, now):
    """``count`` events of history through the factories: start spread over
    eight years, about 3 % upcoming, a fifth monthly for six months."""
    for i in range(count):
        if rng.random() < UPCOMING_SHARE:
            start = now + datetime.timedelta(days=rng.uniform(1, 180))
        else:
            start = now - datetime.timedelta(
                seconds=rng.uniform(0, HISTORY.total_seconds())
            )
        start = timezone.localtime(start).replace(
            hour=rng.choice([9, 14, 18]),
            minute=rng.choice([0, 30]),
            second=0,
            microsecond=0,
        )
        fields = {}
        if rng.random() < RECURRING_SHARE:
            fields = {"recurrence": "monthly_weekday", "recurrence_count": 6}
        create_event(
            agenda,
            title=f"Atelier d'histoire {i}",
            start=start,
            event_type=rng.choice(types),
            partners=[rng.choice(partners)],
            publish=False,
            **fields,
        )


def rebuild_time(now):
    """Median time (ms) to rebuild the stored dates of one recurring event
    whose first date moved by a day (the work a publish adds)."""
    event = (
        EventPage.objects.live()
        .exclude(recurrence_rule="")
        .filter(start__gt=now)
        .order_by("start")
        .first()
        or EventPage.objects.live().exclude(recurrence_rule="").first()
    )
    times = []
    for i in range(REPEAT):
        page = EventPage.objects.get(pk=event.pk)
        shift = datetime.timedelta(days=1 if i % 2 == 0 else 0)
        page.start, page.end = event.start + shift, event.end + shift
        page.recurrence_rule = ""
        page.sync_recurrence_rule()
        with transaction.atomic():
            started = time.perf_counter()
            occurrences.rebuild(page)
            times.append((time.perf_counter() - started) * 1000)
    # Leave the event as it was.
    occurrences.rebuild(EventPage.objects.get(pk=event.pk))
    return statistics.median(times)


def run(report):
    client = Client()
    rng = random.Random(11)
    now = timezone.now()
    agenda = EventIndexPage.objects.get()
    types = list(EventType.objects.all())
    partners = list(Partner.objects.all())
    existing = EventPage.objects.count()
    results, http_results = {}, {}
    lines = []
    http = HttpCold() if http_available() else None

    def out(line):
        report(line)
        lines.append(line)

    with override_settings(PORTAL_PAGE_CACHE=False):
        pages = urls()
        for url in pages:  # load templates and per-process state once
            client.get(url)
        for size in SIZES:
            missing = size - (EventPage.objects.count() - existing)
            started = time.perf_counter()
            add_events(agenda, missing, rng, types, partners, now)
            built = time.perf_counter() - started
            out(
                f"\n{size:,} events of history (+ {existing} demo): "
                f"{EventPage.objects.count():,} events, "
                f"{occurrences.Occurrence.objects.count():,} stored dates "
                f"(built in {built:.0f} s)"
            )
            out(f"  (load average {os.getloadavg()[0]:.1f})")
            for url in pages:
                status, ms, cpu_ms, queries = cold_get(client, url)
                results[(size, url)] = (cpu_ms, queries)
                out(
                    f"  {url:42} {status} {ms:8.1f} ms cold, {cpu_ms:6.1f} ms CPU"
                    f"  {queries:3d} queries"
                )
            out(f"  rebuild of one edited recurring event: {rebuild_time(now):.1f} ms")
            if http:
                for url, (status, ms) in http.times(pages).items():
                    http_results[(size, url)] = ms
                    out(f"  HTTP {url:37} {status} {ms:8.1f} ms cold (gunicorn)")

    small, large = SIZES[0], SIZES[-1]
    out(f"\nAt {large:,} vs {small:,} events (target: CPU time ratio, same queries):")
    for url in pages:
        (ms_small, q_small), (ms_large, q_large) = (
            results[(small, url)],
            results[(large, url)],
        )
        target = TARGETS.get(url, DEFAULT_TARGET)
        ratio = ms_large / ms_small
        verdict = "ok" if ratio <= target and q_small == q_large else "MISSED"
        out(
            f"  {url:42} x{ratio:4.2f} (<= {target}) "
            f"queries {q_small} -> {q_large}  {verdict}"
        )
    if http:
        out(f"\nOver HTTP, at {large:,} vs {small:,} events (same targets):")
        for url in pages:
            ratio = http_results[(large, url)] / http_results[(small, url)]
            target = TARGETS.get(url, DEFAULT_TARGET)
            verdict = "ok" if ratio <= target else "MISSED"
            out(f"  {url:42} x{ratio:4.2f} (<= {target})  {verdict}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "agenda.txt").write_text(
        f"database: {connection.vendor}\n" + "\n".join(lines) + "\n"
    )
