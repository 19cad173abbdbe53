"""`backup` and `restore`: one archive holds the database and the media; it
comes back whole (pages, revisions, registrations, volunteers, signatures,
badges, images) and the site serves it; a damaged archive changes nothing."""

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import tarfile
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.images.models import Image
from wagtail.models import Page, Revision

from events.models import Registration
from portal import backup as portal_backup
from resources.models import BadgeAssertion
from volunteers.models import CharterSignature, Volunteer

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("BACKUP_TEST_REDIS_URL", "redis://127.0.0.1:6379/10")


@pytest.fixture(autouse=True)
def _clients_present():
    if connection.vendor == "postgresql" and not (
        shutil.which("pg_dump") and shutil.which("psql")
    ):
        pytest.skip("pg_dump / psql absents (apt-get install postgresql-client)")


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "registrations": Registration.objects.count(),
        "volunteers": Volunteer.objects.count(),
        "signatures": CharterSignature.objects.count(),
        "badges": BadgeAssertion.objects.count(),
        "images": Image.objects.count(),
    }


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def backup(tmp_path):
    out = io.StringIO()
    call_command("backup", folder=str(tmp_path / "backups"), stdout=out)
    path = Path(out.getvalue().strip())
    assert path.is_file()
    assert re.fullmatch(r"portail-\d{8}-\d{6}\.tar\.gz", path.name)
    return path


def test_everything_comes_back_and_the_site_serves_it(demo_data, client, tmp_path):
    before = counts()
    assert all(before.values()), before
    files = media_files()
    assert files
    guide = Page.objects.get(slug="guides").specific
    guide_url = guide.url
    volunteer = Volunteer.objects.order_by("pk").first()
    archive = backup(tmp_path)

    # Things go wrong: a section deleted, people erased, a file lost.
    guide.delete()
    Registration.objects.all().delete()
    BadgeAssertion.objects.all().delete()
    CharterSignature.objects.all().delete()
    Volunteer.objects.all().delete()
    lost = Path(settings.MEDIA_ROOT) / next(iter(files))
    lost.unlink()
    (Path(settings.MEDIA_ROOT) / "intrus.txt").write_text("pas dans la sauvegarde")
    assert client.get(guide_url).status_code == 404

    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out)
    assert "restaurée" in out.getvalue()

    assert counts() == before
    assert media_files() == files
    response = client.get(guide_url)
    assert response.status_code == 200
    assert guide.title in response.content.decode()
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()
    image = Image.objects.order_by("pk").first()
    assert Path(image.file.path).is_file()
    assert client.get("/").status_code == 200


@pytest.fixture
def small_site(home_page, tmp_path):
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "affiche.txt").write_text("affiche")
    return backup(tmp_path)


def changed_since_backup():
    page = Page.objects.get(depth=2)
    page.title = "Modifiée après la sauvegarde"
    page.save()
    (Path(settings.MEDIA_ROOT) / "nouveau.txt").write_text("nouveau")


def unchanged():
    assert Page.objects.get(depth=2).title == "Modifiée après la sauvegarde"
    assert (Path(settings.MEDIA_ROOT) / "nouveau.txt").is_file()


def rebuild(archive, target, edit, honest_manifest=False):
    """A copy of `archive` with `edit(name, data) -> data` applied; with
    `honest_manifest`, the manifest's checksums match the edited files (a
    damage the checksums cannot see)."""
    with tarfile.open(archive) as source:
        contents = {
            member.name: source.extractfile(member).read()
            for member in source.getmembers()
            if member.isfile()
        }
    manifest = json.loads(contents.pop("manifest.json"))
    contents = {name: edit(name, data) for name, data in contents.items()}
    if honest_manifest:
        manifest["checksums"] = {
            name: hashlib.sha256(data).hexdigest() for name, data in contents.items()
        }
    contents = {"manifest.json": json.dumps(manifest).encode(), **contents}
    with tarfile.open(target, "w:gz") as copy:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    return target


def test_a_truncated_archive_changes_nothing(small_site, tmp_path):
    changed_since_backup()
    damaged = tmp_path / "tronquee.tar.gz"
    damaged.write_bytes(small_site.read_bytes()[: small_site.stat().st_size // 2])
    with pytest.raises(CommandError, match="endommagée.*Rien n'a été modifié"):
        call_command("restore", str(damaged), yes=True)
    unchanged()


def test_an_altered_file_changes_nothing(small_site, tmp_path):
    changed_since_backup()

    def alter(name, data):
        return b"autre contenu" if name.endswith("affiche.txt") else data

    damaged = rebuild(small_site, tmp_path / "alteree.tar.gz", alter)
    with pytest.raises(CommandError, match="altéré"):
        call_command("restore", str(damaged), yes=True)
    unchanged()


def test_a_damaged_database_changes_nothing(small_site, tmp_path):
    changed_since_backup()

    def corrupt(name, data):
        if name.startswith("database"):
            return data[:100] + b"\x00" * 4096 + data[4196 : len(data) // 2]
        return data

    damaged = rebuild(small_site, tmp_path / "base.tar.gz", corrupt, True)
    with pytest.raises(CommandError, match="Rien n'a été modifié|endommagée|illisible"):
        call_command("restore", str(damaged), yes=True)
    unchanged()


def test_a_path_leaving_the_folder_is_refused(small_site, tmp_path):
    changed_since_backup()
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as archive:
        data = b"x"
        info = tarfile.TarInfo("../../etc/portail-intrus")
        info.size = 1
        archive.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="chemin refusé"):
        call_command("restore", str(evil), yes=True)
    unchanged()
    assert not (tmp_path.parent.parent / "etc" / "portail-intrus").exists()


def test_restore_asks_first_and_refuses_production_without_yes(small_site, settings):
    changed_since_backup()
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(small_site))
    settings.PORTAL_PRODUCTION = True
    with pytest.raises(CommandError, match="Réglages de production"):
        call_command("restore", str(small_site))
    unchanged()
    call_command("restore", str(small_site), yes=True)
    assert Page.objects.get(depth=2).title != "Modifiée après la sauvegarde"
    assert not (Path(settings.MEDIA_ROOT) / "nouveau.txt").exists()
    assert (Path(settings.MEDIA_ROOT) / "affiche.txt").read_text() == "affiche"


def test_a_missing_file_is_a_french_error(db, tmp_path):
    with pytest.raises(CommandError, match="n'existe pas"):
        call_command("restore", str(tmp_path / "absente.tar.gz"), yes=True)


# --- Who may read an archive (issue 25 #8) -----------------------------------


def test_the_archive_and_its_folder_are_for_their_owner_only(db, tmp_path):
    """The archive holds password hashes and sessions: 0600, in a 0700
    folder, whatever the umask of the shell that ran `make backup`."""
    previous = os.umask(0o022)
    try:
        archive = backup(tmp_path)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(archive.parent.stat().st_mode) == 0o700


def test_the_default_folder_is_tightened(db, tmp_path, settings):
    settings.PORTAL_BACKUP_ROOT = tmp_path / "sauvegardes"
    settings.PORTAL_BACKUP_ROOT.mkdir(mode=0o755)
    settings.PORTAL_BACKUP_ROOT.chmod(0o755)
    out = io.StringIO()
    call_command("backup", stdout=out)
    archive = Path(out.getvalue().strip())
    assert archive.parent == settings.PORTAL_BACKUP_ROOT
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.PORTAL_BACKUP_ROOT.stat().st_mode) == 0o700


# --- What a crafted archive may name (issue 25 #9) ----------------------------


def crafted(archive, target, manifest_edit, extra=()):
    """A copy of `archive` whose manifest went through `manifest_edit`, plus
    the tar members `extra` (TarInfo, data) added at the end."""
    with tarfile.open(archive) as source:
        contents = {
            member.name: source.extractfile(member).read()
            for member in source.getmembers()
            if member.isfile()
        }
    manifest = json.loads(contents.pop("manifest.json"))
    manifest_edit(manifest)
    with tarfile.open(target, "w:gz") as copy:
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        copy.addfile(info, io.BytesIO(data))
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
        for info, data in extra:
            copy.addfile(info, io.BytesIO(data) if data is not None else None)
    return target


def other_database(tmp_path):
    """A real database outside the archive (a SQLite file, or a PostgreSQL
    dump), that says so if restored."""
    if connection.vendor == "postgresql":
        outside = tmp_path / "ailleurs.sql"
        portal_backup.dump_database(outside)
        title = Page.objects.get(depth=2).title
        outside.write_text(
            outside.read_text().replace(title, "Base venue d’ailleurs"),
        )
        return outside
    outside = tmp_path / "ailleurs.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(outside)
    connection.connection.backup(copy)
    copy.execute(
        "UPDATE wagtailcore_page SET title = 'Base venue d’ailleurs' WHERE depth = 2"
    )
    copy.commit()
    copy.close()
    return outside


@pytest.mark.parametrize("how", ["absolute", "dotdot"])
def test_a_database_outside_the_archive_is_refused(small_site, tmp_path, how):
    outside = other_database(tmp_path)
    changed_since_backup()
    work_parent = Path(settings.MEDIA_ROOT).parent

    def point_outside(manifest):
        manifest["database"] = (
            str(outside)
            if how == "absolute"
            else os.path.relpath(outside, work_parent / "restauration")
        )

    evil = crafted(small_site, tmp_path / "ailleurs.tar.gz", point_outside)
    with pytest.raises(CommandError, match="hors de l'archive.*Rien n'a été modifié"):
        call_command("restore", str(evil), yes=True)
    unchanged()
    assert not Page.objects.filter(title="Base venue d’ailleurs").exists()


def test_a_database_member_not_in_the_checksums_is_refused(small_site, tmp_path):
    changed_since_backup()

    def unlisted(manifest):
        del manifest["checksums"][manifest["database"]]

    evil = crafted(small_site, tmp_path / "non-listee.tar.gz", unlisted)
    with pytest.raises(CommandError, match="hors de l'archive"):
        call_command("restore", str(evil), yes=True)
    unchanged()


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_links_in_the_archive_are_refused(small_site, tmp_path, kind):
    changed_since_backup()
    link = tarfile.TarInfo("files/media/lien.txt")
    link.type = kind
    link.linkname = "/etc/passwd" if kind == tarfile.SYMTYPE else "manifest.json"
    evil = crafted(small_site, tmp_path / "lien.tar.gz", lambda m: None, [(link, None)])
    with pytest.raises(CommandError, match="chemin refusé"):
        call_command("restore", str(evil), yes=True)
    unchanged()


def test_a_manifest_that_is_not_an_object_is_a_french_error(small_site, tmp_path):
    changed_since_backup()
    evil = tmp_path / "liste.tar.gz"
    with tarfile.open(evil, "w:gz") as archive:
        data = b"[1, 2]"
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="manifeste lisible"):
        call_command("restore", str(evil), yes=True)
    unchanged()


# --- Only the portal's keys are forgotten (issue 25 #10) ----------------------


@pytest.fixture
def redis_cache(settings):
    """The portal's cache in Redis database 10, next to another
    application's keys."""
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis absent ({REDIS_URL})")
    prefix = f"portail-test-{os.getpid()}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
            "KEY_PREFIX": prefix,
        }
    }
    foreign = f"autre-appli-{os.getpid()}:session"
    client.set(foreign, "garder")
    yield client, foreign
    client.delete(foreign)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_restore_forgets_only_the_portals_keys(small_site, redis_cache):
    client, foreign = redis_cache
    cache.set("pagecache:une-page", "ancienne page", None)
    cache.set("ratelimit:inscription:abc:1", 3, None)
    call_command("restore", str(small_site), yes=True)
    assert client.get(foreign) == b"garder"
    assert cache.get("pagecache:une-page") is None
    assert cache.get("ratelimit:inscription:abc:1") == 3


# --- A running server serves what was restored (issue 25 #11) -----------------


def test_the_restore_drill_passes_only_once_the_page_is_back(
    small_site, client, settings
):
    """The README's drill under `make run`: the server keeps its pages in its
    own memory; the page is deleted from a shell, the backup restored by
    another command. The server must neither serve the deleted page nor, after
    the restore, a copy it kept from before."""
    settings.PORTAL_PAGE_CACHE = True
    page = Page.objects.get(depth=2)
    url = page.url
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    with another_process(settings):
        Page.objects.get(pk=page.pk).delete()
    assert client.get(url).status_code == 404

    with another_process(settings):
        call_command("restore", str(small_site), yes=True)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"


@contextlib.contextmanager
def another_process(settings):
    """Same database, its own local-memory cache (as `manage.py` beside
    `make run`)."""
    own = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "un-autre-processus",
        }
    }
    try:
        yield
    finally:
        settings.CACHES = own
