"""The agenda « par événement » (one card per event, issue 29) and the home
page's selection at 10 and 10,000 events, all of them with coming dates —
the grouping's worst case: every event is a group — a fifth weekly
(about 78 stored dates each over the 18-month horizon), some with
registration open. Cold (Django's cache emptied, page cache off): the
fastest wall and CPU time of REPEAT requests and the query count.

The cards come from one GROUP BY query with LIMIT on the stored dates
(events.programme.groups.grouped), then one query for their dates and events
and one for their places: the queries stay the same at any size; the
aggregate reads the coming dates' index range.

    BENCH_GROUPS_SIZES=10,2000 python bench/run.py bench_agenda_groups

Measured on SQLite, shared 2-core machine (6 December 2026), 10 -> 10,000
events (130 -> 113,171 stored dates): /agenda/ 20 -> 20 queries, 28 -> 146
ms CPU; / 24 -> 24 queries, 35 -> 147 ms; « par date » (unchanged, for
comparison) 17 -> 17 queries, 24 -> 196 ms. The time that grows is the
aggregate and the paginator's COUNT reading every coming date's row.
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
