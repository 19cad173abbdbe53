"""Two instances of the site on loopback, one following the other.

The publisher is this test's site (pytest-django's live server); the
follower is a second instance of the same code base, in a process of its own
(the site's WSGI application behind Django's threaded HTTP server), with its
own SQLite file (a copy of the migrated database), its own key and its own
address. The follower's agenda
actor sends the Follow and the Undo with the site's own client (signed with
its key); the publisher answers and delivers with its own code; each inbox
verifies the other's signatures by fetching the other's actor over HTTP. The
follower logs each activity its inbox accepted, which the test reads.

Why the follower is scripted: the site publishes an agenda and reads nobody's,
so it has no « follow » button; the test tells the follower's process to
send the Follow (and later the Undo) as its agenda actor, with the site's
own client and key.
"""

import datetime
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone

from events.fediverse.models import Follower
from tests.factories.events import create_event

ROOT = Path(__file__).resolve().parents[3]
AP = "application/activity+json"
START_TIMEOUT = 60

FOLLOWER_SETTINGS = """
import os
from pathlib import Path

from portal.settings.test import *  # noqa: F403

WAGTAILADMIN_BASE_URL = os.environ["FOLLOWER_BASE_URL"]
FEDIVERSE_KEYS_DIR = Path(os.environ["FOLLOWER_KEYS_DIR"])
FEDIVERSE_ALLOW_PRIVATE_NETWORK = True
MEDIA_ROOT = Path(os.environ["FOLLOWER_KEYS_DIR"]).parent / "media"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "events.fediverse": {"handlers": ["console"], "level": "DEBUG",
                             "propagate": False},
    },
}
"""

# The follower's process: the site's WSGI application behind Django's
# threaded HTTP server (the live server's), and a loop that reads orders on
# its standard input: "follow <actor>" or "undo <actor>" makes its agenda
# read that actor for its inbox, then POST a Follow (or its Undo) there,
# signed with its key. One process, one Django start-up.
FOLLOWER = """
import sys
import threading

import django

django.setup()
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application

from events.fediverse import client, objects


class Handler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


server = ThreadedWSGIServer(("127.0.0.1", int(sys.argv[1])), Handler)
server.set_app(get_wsgi_application())
threading.Thread(target=server.serve_forever, daemon=True).start()
print("READY", flush=True)
me = objects.actor_id(objects.AGENDA)
for line in sys.stdin:
    kind, target = line.split()
    remote = client.get_json(target, objects.key_id())
    follow = {"id": me + "#follow-1", "type": "Follow", "actor": me, "object": target}
    if kind == "undo":
        activity = {"id": me + "#undo-1", "type": "Undo", "actor": me, "object": follow}
    else:
        activity = follow
    activity = {"@context": objects.AS_CONTEXT, **activity}
    print("STATUS", client.post_json(remote["inbox"], activity, objects.key_id()),
          flush=True)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FollowerSite:
    """The second instance: its process, its answers, what it logged."""

    def __init__(self, tmp_path, database):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.actor = f"{self.url}/ap/agenda"
        self.log_path = tmp_path / "follower.log"
        (tmp_path / "follower_settings.py").write_text(FOLLOWER_SETTINGS)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "follower_settings",
            "DATABASE_URL": f"sqlite:///{database}",
            "FOLLOWER_BASE_URL": self.url,
            "FOLLOWER_KEYS_DIR": str(tmp_path / "follower-keys"),
        }
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", FOLLOWER, str(self.port)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            start_new_session=True,
        )
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def answer(self, word):
        """The value after `word` in the process's next line on stdout."""
        try:
            line = self.lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            pytest.fail(f"the follower site said no {word}:\n" + self.tail())
        assert line.startswith(word), line + self.tail()
        return line[len(word) :].strip()

    def wait_until_up(self):
        self.answer("READY")
        request = urllib.request.Request(self.actor, headers={"Accept": AP})  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())

    def send(self, kind, target):
        """The follower's agenda sends a Follow (or its Undo) to `target`."""
        self.process.stdin.write(f"{kind} {target}\n")
        self.process.stdin.flush()
        return int(self.answer("STATUS"))

    def received(self):
        """The activities the follower's inbox verified and accepted."""
        marker = "fediverse inbox agenda received: "
        return [
            json.loads(line.split(marker, 1)[1])
            for line in self.log_path.read_text().splitlines()
            if marker in line
        ]

    def wait_for(self, kind, count=1, timeout=15):
        deadline = time.monotonic() + timeout
        while True:
            found = [a for a in self.received() if a["type"] == kind]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.1)

    def tail(self):
        self.log.flush()
        return self.log_path.read_text()[-3000:]

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process.stdin.close()
        self.log.close()


@pytest.fixture
def follower_site(migrated_sqlite_file, tmp_path):
    site = FollowerSite(tmp_path, migrated_sqlite_file)
    try:
        yield site
    finally:
        site.stop()


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the second site runs on a copy of the SQLite test database",
)
def test_one_site_follows_another(follower_site, live_server, settings, agenda):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    settings.FEDIVERSE_ALLOW_PRIVATE_NETWORK = True
    publisher = f"{live_server.url}/ap/agenda"
    profile = follower_site.wait_until_up()
    assert profile["id"] == follower_site.actor
    assert profile["publicKey"]["owner"] == follower_site.actor

    # Follow → the publisher checks the follower's signature with the key
    # it fetches from the follower's site, stores it, and sends a signed
    # Accept that the follower's inbox verifies the same way.
    assert follower_site.send("follow", publisher) == 202
    follower = Follower.objects.get()
    assert (follower.actor_url, follower.inbox, follower.shared_inbox) == (
        follower_site.actor,
        f"{follower_site.actor}/inbox",
        f"{follower_site.url}/ap/inbox",
    )
    accept = follower_site.wait_for("Accept")
    assert len(accept) == 1
    assert accept[0]["actor"] == publisher
    assert accept[0]["object"]["actor"] == follower_site.actor

    # Publish, change, cancel the date, withdraw: each reaches the follower,
    # signed by the publisher and verified by the follower's own inbox code.
    start = timezone.localtime() + datetime.timedelta(days=8)
    event = create_event(agenda, title="Install party « Debian »", start=start)
    created = follower_site.wait_for("Create")
    assert len(created) == 1
    assert created[0]["actor"] == publisher
    assert created[0]["object"]["name"] == "Install party « Debian »"
    assert created[0]["object"]["ical:status"] == "CONFIRMED"

    event.title = "Install party « Debian 13 »"
    event.save_revision().publish()
    updated = follower_site.wait_for("Update")
    assert updated[0]["object"]["name"] == "Install party « Debian 13 »"

    event.cancellations.create(date=start.date(), reason="Salle indisponible")
    event.save_revision().publish()
    cancelled = follower_site.wait_for("Update", count=2)[1]["object"]
    assert cancelled["ical:status"] == "CANCELLED"
    assert cancelled["summary"].startswith("Annulé — ")
    assert "Salle indisponible" in cancelled["content"]

    event.unpublish()
    deleted = follower_site.wait_for("Delete")
    assert deleted[0]["object"] == {
        "id": created[0]["object"]["id"],
        "type": "Tombstone",
        "formerType": "Event",
    }
    # Every delivery was taken (2xx): nothing counted as a failure.
    assert Follower.objects.get().failures == 0

    # Undo → the follower is gone; the next event does not reach it.
    assert follower_site.send("undo", publisher) == 202
    assert not Follower.objects.exists()
    create_event(agenda, title="Après le désabonnement", start=start)
    time.sleep(0.5)
    assert [a["type"] for a in follower_site.received()] == [
        "Accept",
        "Create",
        "Update",
        "Update",
        "Delete",
    ]
    # Neither inbox refused anything: every signature verified.
    assert "refused" not in follower_site.tail()
