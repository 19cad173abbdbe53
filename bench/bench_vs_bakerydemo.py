"""Every public page type rendered cold (page cache off), against its
counterpart in Wagtail's bakerydemo served the same way, in one run; then a
page-cache hit against a static file through WhiteNoise (issue 31).

    BAKERYDEMO_PATH=/tmp/bakerydemo make bench-bakery
    # or: BAKERYDEMO_PATH=/tmp/bakerydemo python bench/run.py bench_vs_bakerydemo

BAKERYDEMO_PATH is a folder: when it does not exist, bakerydemo is cloned
into it (BAKERYDEMO_GIT, the GitHub repository by default); when it has no
.venv, one is made and set up as bakerydemo's README says (its
requirements/base.txt, plus gunicorn, whitenoise and django-redis that its
production settings use; local.py and .env from their examples; migrate;
load_initial_data; collectstatic). Without BAKERYDEMO_PATH the bench says so
and does nothing (so `make bench` still runs the others).

Both sites: gunicorn, 2 sync workers, their own production settings (DEBUG
off, WhiteNoise, the cache in Redis BENCH_BAKERY_REDIS_URL with a prefix of
their own), SQLite with persistent connections, both servers up at once and
measured in turn page by page (portal, bakerydemo, portal, …), so a busy
neighbour weighs on both. `wrk` (apt-get install wrk) with
BENCH_BAKERY_CONNECTIONS (8) connections, best of BENCH_BAKERY_ROUNDS (3)
rounds of BENCH_BAKERY_SECONDS (3) s. Ports BENCH_BAKERY_PORT (8205) and the
two after it. Targets: each page ≥ 2× its counterpart; a page-cache hit ≥ 90 %
of the static file. Not part of the test suite: it measures, asserts nothing.

The portal's rendered fragments (portal/fragments.py) stay on, as in
production: a page-cache miss then renders only what differs per visitor.
`PORTAL_FRAGMENT_CACHE=off make bench-bakery` measures every render from
scratch (the first visit after a publish).
"""

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import redis

from bench import serving

ROOT = Path(__file__).resolve().parent.parent
BAKERY = os.environ.get("BAKERYDEMO_PATH", "")
BAKERY_GIT = os.environ.get("BAKERYDEMO_GIT", "https://github.com/wagtail/bakerydemo")
REDIS_URL = os.environ.get("BENCH_BAKERY_REDIS_URL", "redis://127.0.0.1:6379/5")
PORT = int(os.environ.get("BENCH_BAKERY_PORT", "8205"))
SECONDS = float(os.environ.get("BENCH_BAKERY_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_BAKERY_CONNECTIONS", "8"))
ROUNDS = int(os.environ.get("BENCH_BAKERY_ROUNDS", "3"))
PREFIX = f"bench-bakery-{os.getpid()}"

PORTAL_SETTINGS = """
import os
from portal.settings.production import *

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
CACHES["default"]["KEY_PREFIX"] = os.environ["BENCH_KEY_PREFIX"]
"""

BAKERY_SETTINGS = """
import os
from bakerydemo.settings.production import *

_options = {"CLIENT_CLASS": "django_redis.client.DefaultClient"}
CACHES = {
    alias: {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ["BENCH_REDIS_URL"],
        "OPTIONS": _options,
        "KEY_PREFIX": os.environ["BENCH_KEY_PREFIX"] + "-" + alias,
    }
    for alias in ("default", "renditions")
}
"""

# Page type here, its bakerydemo counterpart (the page of the same kind:
# an index for a listing, a detail page for a detail page, its form page for
# a form).
COUNTERPARTS = [
    ("home", "/"),
    ("agenda", "/breads/"),
    ("month grid", "/recipes/"),
    ("day list", "/blog/"),
    ("archive", "/locations/"),
    ("event page", "/breads/anadama-bread/"),
    ("registration form", "/contact-us/"),
    ("appointment form", "/contact-us/"),
    ("guide", "/recipes/hot-cross-bun/"),
    ("path", "/blog/wild-yeast/"),
    ("volunteer directory", "/gallery/"),
    ("badge verification", "/locations/hof/"),
]


def portal_urls():
    """The portal's page of each type, found in the demo data."""
    from django.urls import reverse
    from django.utils import timezone
    from wagtail.models import Page

    from events.models import EventPage, Occurrence
    from resources.models import BadgeAssertion
    from volunteers.models import VolunteerIndexPage

    def first_url(model_name):
        page = Page.objects.live().filter(content_type__model=model_name).first()
        return page.url

    from django.test import Client

    client = Client()
    events = EventPage.objects.live().order_by("path")
    registration = next(
        e
        for e in events
        if client.get(reverse("events:registration", args=[e.slug])).status_code == 200
    )
    appointment = next(e for e in events if e.appointments_enabled)
    upcoming = (
        Occurrence.objects.filter(start__gte=timezone.now()).order_by("start").first()
    )
    day = timezone.localtime(upcoming.start).date()
    today = datetime.date.today()
    assertion = BadgeAssertion.objects.filter(revoked=False).first()
    return {
        "home": "/",
        "agenda": "/agenda/",
        "month grid": reverse("events:month", args=[today.year, today.month]),
        "day list": f"/agenda/?jour={day.isoformat()}",
        "archive": "/agenda/?periode=passes",
        "event page": registration.url,
        "registration form": reverse("events:registration", args=[registration.slug]),
        "appointment form": reverse("events:appointment_book", args=[appointment.slug]),
        "guide": first_url("guidepage"),
        "path": first_url("learningpathpage"),
        "volunteer directory": VolunteerIndexPage.objects.live().first().url,
        "badge verification": reverse(
            "resources:assertion_verify", args=[assertion.uid]
        ),
    }


# --- bakerydemo, set up as its README says -----------------------------------


def _run(args, cwd, log, env=None, timeout=1200):
    subprocess.run(  # noqa: S603
        args,
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        timeout=timeout,
        check=True,
    )


def bakery_env(path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench_bakery_settings",
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT / "tmp" / "bench-bakery"), str(path)]
            ),
            "DJANGO_SECRET_KEY": "bench-only-key",
            # The same database its settings use by default, given as a URL so
            # that it gets their persistent connections (conn_max_age=500).
            "DATABASE_URL": f"sqlite:///{path / 'bakerydemodb'}",
            "BENCH_REDIS_URL": REDIS_URL,
            "BENCH_KEY_PREFIX": PREFIX,
            "DJANGO_LOG_LEVEL": "WARNING",
            # Plain HTTP on the loopback, as for the portal.
            "SECURE_SSL_REDIRECT": "False",
            "SECURE_HSTS_SECONDS": "0",
        }
    )
    return env


def setup_bakery(path, report, log):
    if not path.exists():
        report(f"cloning bakerydemo into {path}")
        _run(["git", "clone", "--depth=1", BAKERY_GIT, str(path)], None, log)
    python = path / ".venv" / "bin" / "python"
    if not python.exists():
        report("bakerydemo: making its venv and installing requirements/base.txt")
        _run([sys.executable, "-m", "venv", str(path / ".venv")], path, log)
        uv = shutil.which("uv", path=str(Path(sys.executable).parent))
        packages = [
            "-r",
            "requirements/base.txt",
            "gunicorn",
            "whitenoise",
            "django-redis",
        ]
        if sys.version_info < (3, 12):
            # Its main asks for Django 6.0, which needs Python 3.12; on an
            # older Python, the Django its Wagtail also supports (5.2, the
            # portal's own), with bakerydemo's code unchanged.
            report("bakerydemo: Python < 3.12, installed with Django 5.2")
            base = (path / "requirements" / "base.txt").read_text()
            requirements = path / "requirements" / "bench-python311.txt"
            requirements.write_text(
                re.sub(r"(?im)^django[<>=!~].*$", "Django>=5.2,<5.3", base)
            )
            packages[1] = str(requirements)
        if uv:
            _run([uv, "pip", "install", "--python", str(python), *packages], path, log)
        else:
            _run([str(python), "-m", "pip", "install", "-q", *packages], path, log)
    for example, target in (
        ("bakerydemo/settings/local.py.example", "bakerydemo/settings/local.py"),
        (".env.example", ".env"),
    ):
        if not (path / target).exists():
            shutil.copy(path / example, path / target)
    env = bakery_env(path)
    if not (path / "bakerydemodb").exists():
        report("bakerydemo: migrate and load_initial_data (a minute or two)")
        _run([str(python), "manage.py", "migrate", "-v0"], path, log, env)
        _run([str(python), "manage.py", "load_initial_data"], path, log, env)
    _run(
        [str(python), "manage.py", "collectstatic", "--noinput", "-v0"], path, log, env
    )
    return python, env


# --- Servers and measures ------------------------------------------------------


_get = serving.get
Server = serving.Server


def wrk(port, path):
    return serving.wrk(port, path, connections=CONNECTIONS, seconds=SECONDS)


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def portal_env(workdir, port, page_cache):
    return serving.portal_env(
        ROOT,
        workdir,
        "bench_bakery_portal_settings",
        port=port,
        redis_url=REDIS_URL,
        key_prefix=PREFIX,
        page_cache=page_cache,
    )


def forget_keys():
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{PREFIX}*"):
        client.delete(key)


def run(report):
    if not BAKERY:
        report(
            "skipped: set BAKERYDEMO_PATH to a folder (bakerydemo is cloned and "
            "set up there when missing), e.g. BAKERYDEMO_PATH=/tmp/bakerydemo "
            "make bench-bakery"
        )
        return
    if not shutil.which("wrk"):
        report("skipped: wrk is not installed (apt-get install wrk)")
        return
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        report(f"skipped: Redis {REDIS_URL} does not answer ({error})")
        return
    bakery = Path(BAKERY).resolve()
    workdir = ROOT / "tmp" / "bench-bakery"
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "bench_bakery_portal_settings.py").write_text(PORTAL_SETTINGS)
    (workdir / "bench_bakery_settings.py").write_text(BAKERY_SETTINGS)
    urls = portal_urls()
    with (workdir / "bench.log").open("w") as log:
        bakery_python, env = setup_bakery(bakery, report, log)
        _run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            ROOT,
            log,
            portal_env(workdir, PORT, "off"),
        )
        report(
            f"gunicorn 2 sync workers each, production settings, SQLite, Redis "
            f"{REDIS_URL}; portal fragment cache "
            f"{os.environ.get('PORTAL_FRAGMENT_CACHE', 'on')}; "
            f"wrk -t2 -c{CONNECTIONS}, best of {ROUNDS} × {SECONDS:g} s; "
            f"load {load()} at start"
        )
        ours, theirs = {}, {}
        with (
            Server(
                sys.executable,
                "portal.wsgi",
                ROOT,
                portal_env(workdir, PORT, "off"),
                PORT,
                log,
            ),
            Server(bakery_python, "bakerydemo.wsgi", bakery, env, PORT + 1, log),
        ):
            for label, path in COUNTERPARTS:  # every page once: renditions made
                for port, url in ((PORT, urls[label]), (PORT + 1, path)):
                    status = _get(port, url)[0]
                    if status != 200:
                        raise RuntimeError(f"{url}: {status}")
            for _ in range(ROUNDS):
                for label, path in COUNTERPARTS:
                    rate = wrk(PORT, urls[label])
                    ours[label] = max(ours.get(label, 0), rate)
                    rate = wrk(PORT + 1, path)
                    theirs[label] = max(theirs.get(label, 0), rate)
        report(f"{'page, page cache off':22} {'portal':>8} {'bakerydemo':>11}  ratio")
        for label, path in COUNTERPARTS:
            ratio = ours[label] / theirs[label]
            mark = "" if ratio >= 2 else "   < 2×"
            report(
                f"{label:22} {ours[label]:8.1f} {theirs[label]:11.1f}  "
                f"{ratio:4.2f}×  {urls[label]} vs {path}{mark}"
            )
        with Server(
            sys.executable,
            "portal.wsgi",
            ROOT,
            portal_env(workdir, PORT + 2, "on"),
            PORT + 2,
            log,
        ):
            status, headers, body = _get(PORT + 2, "/agenda/")
            css = re.search(rb'href="(/static/[^"]+\.css)"', body)[1].decode()
            headers = _get(PORT + 2, "/agenda/")[1]
            if headers.get("X-Page-Cache") != "hit":
                raise RuntimeError("/agenda/ is not served by the page cache")
            static = hit = 0
            for _ in range(ROUNDS):
                static = max(static, wrk(PORT + 2, css))
                hit = max(hit, wrk(PORT + 2, "/agenda/"))
    forget_keys()
    report(f"{'static file ' + css:60} {static:8.0f} req/s")
    report(f"{'/agenda/ from the page cache':60} {hit:8.0f} req/s")
    verdict = "met" if hit / static >= 0.9 else "NOT met"
    report(
        f"page-cache hit / static file: {hit / static:.0%} (target ≥ 90 %: {verdict})"
    )
    report(f"load {load()} at the end (2 cores, shared: figures are noisy)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from bench import run as bench_run

    bench_run.main(["bench_vs_bakerydemo"])
