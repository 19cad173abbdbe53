"""Where the time of one public page goes when rendered cold (issue 31):
cProfile over many renders in-process, with the production settings, the
page cache and the fragment cache off, on the `make run` database
(db.sqlite3, demo content: `make setup` first) and Redis.

    .venv/bin/python bench/profile_page.py /agenda/petits-dej-du-libre/
    PROFILE_RENDERS=200 PROFILE_TOP=40 .venv/bin/python bench/profile_page.py /

Prints the milliseconds per render without the profiler, the queries of
one render, then each stage's inclusive time as a share of the request
(stages overlap: the SQL runs inside the templates), then the functions of
the project with the most inclusive time. Not part of `make bench` (its
bench_*.py modules run on the test settings); measures, asserts nothing.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = ROOT / "tmp" / "bench-profile"
REDIS_URL = os.environ.get("PROFILE_REDIS_URL", "redis://127.0.0.1:6379/5")
RENDERS = int(os.environ.get("PROFILE_RENDERS", "100"))
TOP = int(os.environ.get("PROFILE_TOP", "25"))

SETTINGS = """
import os
from portal.settings.production import *

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
CACHES["default"]["KEY_PREFIX"] = os.environ["BENCH_KEY_PREFIX"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
"""

# (label, predicate on (file, function)): inclusive time of the outermost
# calls that match.
STAGES = [
    ("SQL executed by the database", "django/db/backends/utils.py", "_execute"),
    ("ORM building queries (as_sql)", "django/db/models/sql/compiler.py", "as_sql"),
    (
        "template rendering, SQL inside included",
        "template/backends/django.py",
        "render",
    ),
    ("routing (portal.routing.route)", "portal/routing.py", "route"),
    ("Site.find_for_request", "wagtail/models/sites.py", "find_for_request"),
    ("menu (portal_tags.main_menu_items)", "portal_tags.py", "main_menu_items"),
    ("image renditions", "wagtail/images/models.py", "get_rendition"),
    ("JSON-LD (events.agenda.jsonld)", "events/agenda/jsonld.py", None),
    ("CSP nonce and header (portal.csp)", "portal/csp.py", None),
    ("French dates (portal.formats)", "portal/formats/__init__.py", None),
    ("Django's date filter (dateformat)", "django/utils/dateformat.py", "format"),
    ("seats (events.registrations.rules)", "events/registrations/rules.py", None),
    ("the view and its templates", "django/core/handlers/base.py", "_get_response"),
]


def setup():
    WORKDIR.mkdir(parents=True, exist_ok=True)
    (WORKDIR / "bench_profile_settings.py").write_text(SETTINGS)
    sys.path[:0] = [str(WORKDIR), str(ROOT)]
    from bench import serving

    env = serving.portal_env(
        ROOT,
        WORKDIR,
        "bench_profile_settings",
        port=8000,
        redis_url=REDIS_URL,
        key_prefix=f"bench-profile-{os.getpid()}",
        page_cache="off",
    )
    env["PORTAL_FRAGMENT_CACHE"] = "off"
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)


def inclusive(stats, filename, function):
    def matches(file, name):
        return filename in file and (function is None or name == function)

    total = 0.0
    for (file, _, name), (_, _, _, cumulative, callers) in stats.items():
        if matches(file, name) and not any(matches(f, n) for f, _, n in callers):
            total += cumulative
    return total


def main(url):
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    status = client.get(url).status_code
    if status != 200:
        sys.exit(f"{url}: {status}")
    for _ in range(20):
        client.get(url)
    started = time.perf_counter()
    for _ in range(RENDERS):
        client.get(url)
    per_render = (time.perf_counter() - started) / RENDERS * 1000
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Counted now: the next request's request_started signal empties the log.
    query_count = len(queries)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(RENDERS):
        client.get(url)
    profile.disable()
    stats = pstats.Stats(profile).stats
    request = inclusive(stats, "django/test/client.py", "request")
    print(
        f"{url}: {per_render:.1f} ms per render without the profiler, "
        f"{query_count} queries; load {os.getloadavg()[0]:.1f}"
    )
    for label, filename, function in STAGES:
        share = inclusive(stats, filename, function) / request
        print(f"  {label:45} {share:6.1%}")
    print(f"  (100 % = {request / RENDERS * 1000:.1f} ms per request under cProfile)")
    ours = sorted(
        (
            (cumulative, f"{Path(file).relative_to(ROOT)}:{line} {name}")
            for (file, line, name), (_, _, _, cumulative, _) in stats.items()
            if file.startswith(str(ROOT)) and "/.venv/" not in file
        ),
        reverse=True,
    )
    print("the project's functions with the most inclusive time:")
    for cumulative, where in ours[:TOP]:
        print(f"  {cumulative / request:6.1%}  {where}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
