"""The agenda on the fediverse: WebFinger, the actor, the outbox, and a
remote account (a real HTTP server on loopback, tests/fediverse_remote.py)
that follows the agenda and receives each event, signed."""

import datetime
import io
import json
import socket
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image, ImageChops
from pyld.jsonld import JsonLdError

from events.fediverse import client as fediverse_client
from events.fediverse import delivery, icon, objects
from events.fediverse import jsonld as fediverse_jsonld
from events.fediverse.models import Follower
from home.factories import wagtail_image
from home.models import Partner
from tests.factories.events import create_event, paris
from tests.fediverse_remote import RemoteAccount, new_key, signed_headers

AP = "application/activity+json"
DATA = Path(__file__).resolve().parents[2] / "data" / "fediverse"


@pytest.fixture(autouse=True)
def _fediverse_settings(settings, tmp_path):
    settings.FEDIVERSE_KEYS_DIR = tmp_path / "fediverse"
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    # The remote account runs on loopback.
    settings.FEDIVERSE_ALLOW_PRIVATE_NETWORK = True


@pytest.fixture
def remote():
    account = RemoteAccount()
    yield account
    account.close()


def follow(account, inbox_url, target):
    return account.post(
        inbox_url,
        {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{account.id}#follow-1",
            "type": "Follow",
            "actor": account.id,
            "object": target,
        },
    )


# --- Discovery ----------------------------------------------------------------


@pytest.mark.django_db
def test_webfinger_finds_the_agenda_and_refuses_the_rest(client, home_page):
    response = client.get(
        "/.well-known/webfinger", {"resource": "acct:agenda@testserver"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/jrd+json")
    links = {link["rel"]: link for link in response.json()["links"]}
    assert links["self"]["href"] == "http://testserver/ap/agenda"
    assert links["self"]["type"] == AP

    unknown = client.get("/.well-known/webfinger", {"resource": "acct:bob@testserver"})
    assert unknown.status_code == 404
    malformed = client.get("/.well-known/webfinger", {"resource": "acct:agenda"})
    assert malformed.status_code == 400
    assert "mal formée" in malformed.content.decode()
    assert client.get("/.well-known/webfinger").status_code == 400


@pytest.mark.django_db
def test_actor_is_a_signed_service_and_a_browser_goes_to_the_agenda(client, home_page):
    response = client.get("/ap/agenda", HTTP_ACCEPT=AP)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(AP)
    actor = response.json()
    assert actor["type"] == "Service"
    assert actor["preferredUsername"] == "agenda"
    assert "Médiathèque de Wimille" in actor["summary"]
    for field in ("inbox", "outbox", "followers", "featured", "icon", "url"):
        assert actor[field]
    # Mastodon shows PNG avatars, not SVG: the icon is a PNG, served as one.
    assert actor["icon"]["mediaType"] == "image/png"
    served = client.get(actor["icon"]["url"].removeprefix("http://testserver"))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert (picture.format, picture.size) == ("PNG", (400, 400))
    # The site's blue, and the white screen of its favicon in the middle.
    assert picture.convert("RGB").getpixel((5, 5)) == icon.BLUE
    assert picture.convert("RGB").getpixel((200, 275)) == icon.WHITE
    key = actor["publicKey"]
    assert key["owner"] == actor["id"] == "http://testserver/ap/agenda"
    assert key["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")

    browser = client.get("/ap/agenda", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert browser.status_code == 302
    assert browser["Location"].endswith("/agenda/")
    assert client.get("/ap/inconnu", HTTP_ACCEPT=AP).status_code == 404


# --- Events as ActivityStreams objects -----------------------------------------


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 28, 12, tzinfo=datetime.UTC))
def test_recurring_event_federates_its_next_date_with_a_french_summary(client, agenda):
    event = create_event(
        agenda,
        title="Les p'tits déj' du libre « spécial œufs »",
        start=paris(2026, 9, 5, 9, 30),
        recurrence="monthly_weekday",
        tags=["logiciels libres"],
    )
    page = client.get("/ap/agenda/outbox", {"page": 1}).json()
    created = page["orderedItems"][0]
    assert created["type"] == "Create"
    obj = created["object"]
    assert obj["type"] == "Event"
    assert obj["name"] == "Les p'tits déj' du libre « spécial œufs »"
    # The first Saturday of January 2027, not September's first date.
    assert obj["startTime"] == "2027-01-02T09:30:00+01:00"
    assert obj["timezone"] == "Europe/Paris"
    assert obj["summary"].startswith("Samedi 2 janvier 2027 à 9 h 30, ")
    assert obj["summary"].endswith(event.venue.name)
    assert obj["url"].endswith(event.url)
    assert obj["location"]["type"] == "Place"
    assert obj["location"]["address"]["type"] == "PostalAddress"
    assert obj["tag"][0] == {
        "type": "Hashtag",
        "name": "#LogicielsLibres",
        "href": obj["tag"][0]["href"],
    }
    # Expanded by a JSON-LD processor with local contexts only.
    expanded = fediverse_jsonld.expand({"@context": created["@context"], **obj})
    as_ = "https://www.w3.org/ns/activitystreams#"
    assert expanded[0]["@type"] == [as_ + "Event"]
    assert expanded[0][as_ + "startTime"][0]["@value"] == obj["startTime"]
    assert expanded[0][as_ + "location"][0]["@type"] == [as_ + "Place"]

    featured = client.get("/ap/agenda/featured").json()
    assert [item["name"] for item in featured["orderedItems"]] == [obj["name"]]


@pytest.mark.django_db
def test_outbox_costs_the_same_with_many_events(client, agenda):
    def queries_for_first_page():
        # The first reading makes the images' renditions (stored once).
        client.get("/ap/agenda/outbox", {"page": 1})
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/ap/agenda/outbox", {"page": 1}).json()
        return len(queries), page

    def add(numbers):
        for number in numbers:
            create_event(
                agenda,
                title=f"Atelier n° {number}",
                publish=False,
                image=wagtail_image(title=f"Affiche {number}"),
                image_alt="Une affiche",
            )

    add(range(3))
    few, _ = queries_for_first_page()
    add(range(3, 45))
    many, first = queries_for_first_page()
    assert first["orderedItems"][0]["object"]["image"]["url"].startswith(
        "http://testserver/"
    )
    assert many == few <= 12
    assert len(first["orderedItems"]) == 20
    assert first["next"].endswith("?page=2")
    assert client.get("/ap/agenda/outbox").json()["totalItems"] == 45
    assert client.get("/ap/agenda/outbox", {"page": "x"}).status_code == 400


# --- A remote account follows, receives, unfollows ---------------------------------


def test_follow_accept_create_update_delete_unfollow(live_server, settings, agenda):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    account = RemoteAccount()
    try:
        actor_url = f"{live_server.url}/ap/agenda"
        assert follow(account, f"{actor_url}/inbox", actor_url) == 202
        follower = Follower.objects.get()
        assert follower.actor_url == account.id
        accepts = account.wait_for("Accept")
        assert accepts[0][1], "the Accept must be signed by the agenda's key"
        assert accepts[0][0]["object"]["type"] == "Follow"

        start = timezone.now() + datetime.timedelta(days=10)
        event = create_event(agenda, title="Install party « Debian »", start=start)
        created = account.wait_for("Create")
        assert created[0][1]
        assert created[0][0]["object"]["name"] == "Install party « Debian »"
        # Nothing about registrants, ever.
        assert "registration" not in json.dumps(created[0][0]).lower()

        event.title = "Install party « Debian 13 »"
        event.save_revision().publish()
        updated = account.wait_for("Update")
        assert updated[0][1]
        assert updated[0][0]["object"]["name"] == "Install party « Debian 13 »"

        event.unpublish()
        deleted = account.wait_for("Delete")
        assert deleted[0][1]
        assert deleted[0][0]["object"]["type"] == "Tombstone"

        undo = {
            "type": "Undo",
            "id": f"{account.id}#undo-1",
            "actor": account.id,
            "object": {"type": "Follow", "actor": account.id, "object": actor_url},
        }
        assert account.post(f"{actor_url}/inbox", undo) == 202
        assert not Follower.objects.exists()
        create_event(agenda, title="Après le désabonnement", start=start)
        assert len(account.of_type("Create")) == 1
    finally:
        account.close()


# --- Hostile inbox input -----------------------------------------------------------


@pytest.mark.django_db
def test_hostile_inbox_requests_are_refused_and_change_nothing(client, home_page):
    account = RemoteAccount(served_key=new_key())  # signs with another key
    honest = RemoteAccount()
    try:
        url = "http://testserver/ap/agenda/inbox"
        activity = {
            "type": "Follow",
            "id": f"{honest.id}#f",
            "actor": honest.id,
            "object": "http://testserver/ap/agenda",
        }
        body = json.dumps(activity).encode()

        def post(headers, payload=body):
            return client.post(
                "/ap/agenda/inbox",
                payload,
                content_type=AP,
                **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
            )

        key_id = f"{honest.id}#main-key"
        unsigned = post({})
        assert unsigned.status_code == 401
        assert "Signature" in unsigned.content.decode()

        old = "Mon, 04 Jan 2027 09:00:00 GMT"
        replayed = post(signed_headers(honest.key, key_id, "POST", url, body, date=old))
        assert replayed.status_code == 401

        tampered = post(
            signed_headers(honest.key, key_id, "POST", url, body),
            payload=body.replace(b"Follow", b"Block"),
        )
        assert tampered.status_code == 401

        huge = b'{"a": "' + b"x" * 300_000 + b'"}'
        assert (
            post(
                signed_headers(honest.key, key_id, "POST", url, huge), huge
            ).status_code
            == 413
        )

        bad_json = b"{not json"
        assert (
            post(signed_headers(honest.key, key_id, "POST", url, bad_json), bad_json)
        ).status_code == 400

        wrong = {**activity, "actor": account.id, "id": f"{account.id}#f"}
        wrong_body = json.dumps(wrong).encode()
        wrong_key = post(
            signed_headers(
                account.key, f"{account.id}#main-key", "POST", url, wrong_body
            ),
            wrong_body,
        )
        assert wrong_key.status_code == 401

        assert not Follower.objects.exists()
        assert account.received == honest.received == []

        like = json.dumps({"type": "Like", "actor": honest.id, "object": "x"}).encode()
        liked = post(signed_headers(honest.key, key_id, "POST", url, like), like)
        assert liked.status_code == 202, liked.content.decode()
        assert not Follower.objects.exists()
    finally:
        account.close()
        honest.close()


# --- Shapes other event servers send -------------------------------------------


def fixture(name):
    return json.loads((DATA / name).read_text())


@pytest.mark.django_db
def test_event_object_has_the_shape_mobilizon_and_gancio_send(client, agenda):
    create_event(
        agenda,
        title="Atelier « sauvegardes »",
        start=timezone.now() + datetime.timedelta(days=3),
        tags=["sauvegarde"],
    )
    ours = client.get("/ap/agenda/outbox", {"page": 1}).json()["orderedItems"][0]
    ours = ours["object"]
    for name in ("mobilizon-event.json", "gancio-event.json"):
        theirs = fixture(name)
        shared = {
            "id", "type", "name", "url", "startTime", "endTime", "location",
            "tag", "to", "cc", "attributedTo", "content", "published",
        } & theirs.keys()  # fmt: skip
        for key in shared:
            assert type(ours[key]) is type(theirs[key]), (name, key)
        assert ours["location"]["type"] == theirs["location"]["type"] == "Place"
        assert ours["tag"][0].keys() == theirs["tag"][0].keys()
        for time in ("startTime", "endTime"):
            assert datetime.datetime.fromisoformat(ours[time]).tzinfo is not None
    mobilizon = fixture("mobilizon-event.json")["location"]["address"]
    assert set(ours["location"]["address"]) <= set(mobilizon) | {"postalCode"}
    # A JSON-LD processor reads both the same way (local contexts only).
    as_ = "https://www.w3.org/ns/activitystreams#"
    for document in (
        {"@context": objects.CONTEXT, **ours},
        {"@context": objects.CONTEXT, **fixture("gancio-event.json")},
    ):
        expanded = fediverse_jsonld.expand(document)[0]
        assert expanded["@type"] == [as_ + "Event"]
        assert as_ + "startTime" in expanded


# --- Blocking, retries, giving up ---------------------------------------------------


@pytest.mark.django_db
def test_blocked_account_gets_nothing_and_its_follow_is_refused(
    client, agenda, remote, django_capture_on_commit_callbacks
):
    Follower.objects.create(
        local_actor="agenda",
        actor_url=remote.id,
        inbox=remote.inbox,
        state=Follower.BLOCKED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        create_event(agenda, start=timezone.now() + datetime.timedelta(days=2))
    assert remote.received == []

    activity = {
        "type": "Follow",
        "id": f"{remote.id}#follow-2",
        "actor": remote.id,
        "object": "http://testserver/ap/agenda",
    }
    body = json.dumps(activity).encode()
    headers = signed_headers(
        remote.key,
        f"{remote.id}#main-key",
        "POST",
        "http://testserver/ap/agenda/inbox",
        body,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/ap/agenda/inbox",
            body,
            content_type=AP,
            **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
        )
    assert response.status_code == 202
    assert Follower.objects.get().state == Follower.BLOCKED
    # (Not verified here: the stand-in cannot reach the test client's site.)
    assert [a["type"] for a, _ in remote.received] == ["Reject"]


@pytest.mark.django_db
def test_a_dead_server_is_given_up_after_days_of_failures(home_page):
    dead = "http://127.0.0.1:9/inbox"  # discard port: connection refused
    follower = Follower.objects.create(
        local_actor="agenda", actor_url="http://127.0.0.1:9/users/x", inbox=dead
    )
    start = datetime.datetime(2027, 3, 1, 9, tzinfo=datetime.UTC)
    for day in range(5):
        with time_machine.travel(start + datetime.timedelta(days=day), tick=False):
            delivery.deliver.call(dead, {"type": "Update"}, "agenda")
        follower.refresh_from_db()
        assert follower.failures == day + 1
        assert follower.state == (Follower.GONE if day >= 4 else Follower.ACCEPTED)
    assert follower.failing_since == start


def test_fediverse_key_command_makes_a_private_key_file(settings, tmp_path):
    out = io.StringIO()
    call_command("fediverse_key", stdout=out)
    key_file = settings.FEDIVERSE_KEYS_DIR / "actor.pem"
    assert key_file.stat().st_mode & 0o777 == 0o600
    first = out.getvalue()
    assert "BEGIN PUBLIC KEY" in first
    again = io.StringIO()
    call_command("fediverse_key", stdout=again)
    assert again.getvalue().split("\n", 1)[1] == first.split("\n", 1)[1]
    renewed = io.StringIO()
    call_command("fediverse_key", "--new", stdout=renewed)
    assert renewed.getvalue().split("\n", 1)[1] != first.split("\n", 1)[1]


@pytest.mark.django_db
def test_a_cancelled_date_is_sent_as_an_update_with_its_status(
    agenda, remote, django_capture_on_commit_callbacks
):
    Follower.objects.create(
        local_actor="agenda", actor_url=remote.id, inbox=remote.inbox
    )
    start = timezone.localtime() + datetime.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        event = create_event(agenda, title="Conférence « vie privée »", start=start)
    with django_capture_on_commit_callbacks(execute=True):
        event.cancellations.create(date=start.date(), reason="Intervenant malade")
        event.save_revision().publish()
    remote.wait_for("Update")
    kinds = [activity["type"] for activity, _ in remote.received]
    assert kinds == ["Create", "Update"]
    created, updated = (activity["object"] for activity, _ in remote.received)
    assert created["ical:status"] == "CONFIRMED"
    assert updated["ical:status"] == "CANCELLED"
    assert updated["summary"].startswith("Annulé — ")
    assert "Intervenant malade" in updated["content"]


@pytest.mark.django_db
def test_each_partner_has_its_own_account_with_its_own_events(client, agenda):
    clx = Partner.objects.get(slug="clx")  # in the site tree
    start = timezone.now() + datetime.timedelta(days=4)
    create_event(agenda, title="Install party du CLX", start=start, partners=[clx])
    create_event(agenda, title="Heure du conte", start=start)
    found = client.get("/.well-known/webfinger", {"resource": "acct:clx@testserver"})
    assert found.json()["links"][0]["href"] == "http://testserver/ap/clx"
    actor = client.get("/ap/clx", HTTP_ACCEPT=AP).json()
    assert actor["name"] == f"Événements de {clx.name}"
    items = client.get("/ap/clx/outbox", {"page": 1}).json()["orderedItems"]
    assert [item["object"]["name"] for item in items] == ["Install party du CLX"]
    everything = client.get("/ap/agenda/outbox", {"page": 1}).json()
    assert len(everything["orderedItems"]) == 2


@pytest.mark.django_db
def test_a_follow_through_the_shared_inbox_reaches_the_partner_followed(
    client, home_page, remote, django_capture_on_commit_callbacks
):
    activity = {
        "type": "Follow",
        "id": f"{remote.id}#follow-clx",
        "actor": remote.id,
        "object": "http://testserver/ap/clx",
    }
    body = json.dumps(activity).encode()
    headers = signed_headers(
        remote.key, f"{remote.id}#main-key", "POST", "http://testserver/ap/inbox", body
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/ap/inbox",
            body,
            content_type=AP,
            **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
        )
    assert response.status_code == 202
    follower = Follower.objects.get()
    assert (follower.local_actor, follower.shared_inbox) == (
        "clx",
        f"{remote.url}/inbox",
    )
    assert [a["type"] for a, _ in remote.received] == ["Accept"]
    assert remote.received[0][0]["actor"] == "http://testserver/ap/clx"


def test_a_remote_cannot_aim_the_site_at_its_own_network(settings):
    settings.FEDIVERSE_ALLOW_PRIVATE_NETWORK = False
    for url in ("http://127.0.0.1:8000/admin/", "http://10.0.0.5/inbox"):
        with pytest.raises(fediverse_client.RemoteError):
            fediverse_client.get_json(url, "http://testserver/ap/agenda#main-key")


@pytest.mark.django_db
def test_deleting_a_federated_event_sends_a_delete(
    agenda, remote, django_capture_on_commit_callbacks
):
    Follower.objects.create(
        local_actor="agenda", actor_url=remote.id, inbox=remote.inbox
    )
    start = timezone.now() + datetime.timedelta(days=6)
    with django_capture_on_commit_callbacks(execute=True):
        event = create_event(agenda, title="Café « réparation »", start=start)
    event_id = f"http://testserver/ap/evenements/{event.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    remote.wait_for("Delete")
    kinds = [activity["type"] for activity, _ in remote.received]
    assert kinds == ["Create", "Delete"]
    assert remote.received[1][0]["object"]["id"] == event_id


# --- JSON-LD with local contexts only ----------------------------------------------


def test_json_ld_expansion_works_without_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("JSON-LD tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    for name in ("activitystreams.jsonld", "security-v1.jsonld"):
        assert (fediverse_jsonld.CONTEXTS_DIR / name).is_file()
    actor = {
        "@context": objects.CONTEXT,
        "id": "https://exemple.org/ap/agenda",
        "type": "Service",
        "featured": "https://exemple.org/ap/agenda/featured",
        "publicKey": {
            "id": "https://exemple.org/ap/agenda#main-key",
            "owner": "https://exemple.org/ap/agenda",
            "publicKeyPem": "-----BEGIN PUBLIC KEY-----",
        },
    }
    expanded = fediverse_jsonld.expand(actor)[0]
    sec = "https://w3id.org/security#"
    assert expanded["@type"] == ["https://www.w3.org/ns/activitystreams#Service"]
    assert expanded[sec + "publicKey"][0][sec + "owner"] == [
        {"@id": "https://exemple.org/ap/agenda"}
    ]
    assert expanded["http://joinmastodon.org/ns#featured"] == [
        {"@id": "https://exemple.org/ap/agenda/featured"}
    ]
    # A context that is not a local copy is refused, not fetched.
    with pytest.raises(JsonLdError):
        fediverse_jsonld.expand(
            {"@context": "https://litepub.social/litepub/context.jsonld", "a": 1}
        )


def test_the_committed_icon_is_the_favicon_redrawn():
    committed = Image.open(icon.FILE).convert("RGB")
    drawn = icon.draw()
    difference = ImageChops.difference(committed, drawn).getextrema()
    assert all(high <= 2 for _low, high in difference)


# --- Remote keys cached, inbox rate-limited ------------------------------------------


def post_signed(client, account, activity, *, key=None, address="127.0.0.1"):
    body = json.dumps(activity).encode()
    url = "http://testserver/ap/agenda/inbox"
    headers = signed_headers(
        key or account.key, f"{account.id}#main-key", "POST", url, body
    )
    return client.post(
        "/ap/agenda/inbox",
        body,
        content_type=AP,
        REMOTE_ADDR=address,
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    )


def like(account, number):
    return {
        "type": "Like",
        "id": f"{account.id}#like-{number}",
        "actor": account.id,
        "object": "http://testserver/ap/agenda",
    }


@pytest.mark.django_db
def test_a_remote_key_is_fetched_once_then_again_when_it_changes(
    client, home_page, remote, settings
):
    settings.FEDIVERSE_KEY_CACHE_SECONDS = 600
    assert post_signed(client, remote, like(remote, 1)).status_code == 202
    assert post_signed(client, remote, like(remote, 2)).status_code == 202
    assert remote.fetched == ["/users/alice"]

    # The remote server rotates its key: the cached one no longer verifies,
    # the key is fetched again, once, and the delivery is taken.
    remote.key = remote.served_key = new_key()
    assert post_signed(client, remote, like(remote, 3)).status_code == 202
    assert len(remote.fetched) == 2
    assert post_signed(client, remote, like(remote, 4)).status_code == 202
    assert len(remote.fetched) == 2

    # Someone signing with another key: one fetch to make sure, then 401.
    forged = post_signed(client, remote, like(remote, 5), key=new_key())
    assert forged.status_code == 401
    assert len(remote.fetched) == 3

    # Past its time in the cache, the key is fetched again.
    later = timezone.now() + datetime.timedelta(minutes=11)
    with time_machine.travel(later, tick=False):
        assert post_signed(client, remote, like(remote, 6)).status_code == 202
    assert len(remote.fetched) == 4


@pytest.mark.django_db
def test_inbox_posts_are_rate_limited_per_address_and_per_server(
    client, home_page, remote, settings
):
    settings.RATE_LIMITS = {
        "fediverse-inbox-address": (3, 60),
        "fediverse-inbox-host": (5, 60),
    }
    for number in range(3):
        response = post_signed(
            client, remote, like(remote, number), address="198.51.100.7"
        )
        assert response.status_code == 202
    fetched = len(remote.fetched)
    refused = post_signed(client, remote, like(remote, 3), address="198.51.100.7")
    assert refused.status_code == 429
    assert "Trop de messages reçus de votre serveur" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 60
    assert len(remote.fetched) == fetched  # nothing fetched for it

    # From other addresses, the same server (its keyId's host) still counts.
    for number, address in ((4, "198.51.100.8"), (5, "198.51.100.9")):
        assert (
            post_signed(
                client, remote, like(remote, number), address=address
            ).status_code
            == 202
        )
    assert (
        post_signed(
            client, remote, like(remote, 6), address="198.51.100.10"
        ).status_code
        == 429
    )

    # Another server, from yet another address, is not held back.
    other = RemoteAccount(host="localhost")
    try:
        assert (
            post_signed(
                client, other, like(other, 1), address="203.0.113.5"
            ).status_code
            == 202
        )
    finally:
        other.close()
