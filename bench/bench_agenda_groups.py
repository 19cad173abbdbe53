"""The agenda « par événement » (one card per event, issue 29) and the home
page's selection at 10 and 10,000 events, all of them with coming dates —
the grouping's worst case: every event is a group — a fifth weekly
(about 78 stored dates each over the 18-month horizon), some with
registration open. Cold (Django's cache emptied, page cache off): the
fastest wall and CPU time of REPEAT requests and the query count.

The cards come from each event's first coming date, found by walking the
start index with LIMIT and checking each date against the (event, start)
index (events.programme.groups.grouped), counted only a few pages ahead
(LookaheadPaginator); then one query for the cards' next held dates, one
for the closures of their places, one for their places: the queries and
the rows read stay the same at any size.

    BENCH_GROUPS_SIZES=10,2000 python bench/run.py bench_agenda_groups

Measured on SQLite, shared 2-core machine under load (load average 5 to
9), 7 December 2026, 10 -> 10,000 events (130 -> 113,150 stored dates),
CPU time:
- before (GROUP BY over every coming date, full COUNT): /agenda/ 85 -> 154
  ms, ?page=5 61 -> 141 ms, / 87 -> 186 ms (20, 20, 24 queries);
- after: /agenda/ 81 -> 56 ms, ?page=5 61 -> 59 ms, / 96 -> 78 ms (21,
  21, 26 queries: the closures, and the home page's events « à la une »
  or « sur rendez-vous » read apart);
« par date » (unchanged, for comparison) 73 -> 334 ms before, 59 -> 294
after: its Paginator counted every coming date. Since it counts only a
few pages ahead (LookaheadPaginator, as the archive), 7 December evening
(load 1.1 to 1.3): 16 -> 23 ms (x1.41; it was 21 -> 146 ms, x6.83, the
same evening before).
"""

import datetime
import os
import random
import time

from django.test import Client, override_settings
from django.utils import timezone

from events.models import EventIndexPage, EventPage, EventType, Occurrence
from tests.factories.events import create_event

from .bench_agenda import cold_get

SIZES = [int(n) for n in os.environ.get("BENCH_GROUPS_SIZES", "10,10000").split(",")]
URLS = ["/agenda/", "/agenda/?page=5", "/agenda/?vue=dates", "/"]


def add_events(agenda, count, rng, types, now, offset):
    for i in range(offset, offset + count):
        start = timezone.localtime(
            now + datetime.timedelta(days=rng.uniform(1, 365))
        ).replace(hour=rng.choice([9, 14, 18]), minute=0, second=0, microsecond=0)
        fields = {}
        if i % 5 == 0:
            fields["recurrence"] = "weekly"
        if i % 4 == 0:
            fields["capacity"] = 12
        create_event(
            agenda,
            title=f"Atelier « numérique » n° {i}",
            slug=f"atelier-groupe-{i}",
            start=start,
            event_type=rng.choice(types),
            publish=False,
            **fields,
        )


def run(report):
    client = Client()
    rng = random.Random(29)
    now = timezone.now()
    agenda = EventIndexPage.objects.get()
    types = list(EventType.objects.all())
    existing = EventPage.objects.count()
    results = {}
    with override_settings(PORTAL_PAGE_CACHE=False):
        for url in URLS:
            client.get(url)
        for size in SIZES:
            have = EventPage.objects.count() - existing
            started = time.perf_counter()
            add_events(agenda, size - have, rng, types, now, have)
            report(
                f"\n{size:,} events with coming dates (+ {existing} demo): "
                f"{Occurrence.objects.count():,} stored dates "
                f"(built in {time.perf_counter() - started:.0f} s, "
                f"load average {os.getloadavg()[0]:.1f})"
            )
            for url in URLS:
                status, ms, cpu_ms, queries = cold_get(client, url)
                results[(size, url)] = (cpu_ms, queries)
                report(
                    f"  {url:24} {status} {ms:8.1f} ms cold, {cpu_ms:6.1f} ms CPU"
                    f"  {queries:3d} queries"
                )
    small, large = SIZES[0], SIZES[-1]
    report(f"\nAt {large:,} vs {small:,} events:")
    for url in URLS:
        (ms_small, q_small), (ms_large, q_large) = (
            results[(small, url)],
            results[(large, url)],
        )
        report(
            f"  {url:24} CPU x{ms_large / ms_small:5.2f}, "
            f"queries {q_small} -> {q_large}"
        )
