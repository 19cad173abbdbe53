"""`backup` and `restore`: one archive holds the database and the media; it
comes back whole (pages, revisions, registrations, volunteers, signatures,
badges, images) and the site serves it; a damaged archive changes nothing."""

import hashlib
import io
import json
import re
import shutil
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.images.models import Image
from wagtail.models import Page, Revision

from events.models import Registration
from resources.models import BadgeAssertion
from volunteers.models import CharterSignature, Volunteer

pytestmark = pytest.mark.django_db(transaction=True)


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
