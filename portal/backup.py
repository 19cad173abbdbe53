"""Backups that restore: one archive holds the database and the files.

The rule: `create()` writes one timestamped `.tar.gz` with a manifest (format,
database engine, SHA-256 of every member), the database (SQLite copied with
its online backup API, so a running site is copied consistently; PostgreSQL
dumped with `pg_dump`) and every file folder of `PORTAL_BACKUP_DIRECTORIES`
(the media, and any private folder such as the private documents').
`restore()` first checks the whole archive — readable, no path leaving its
folder, no link, every member listed in the checksums and every checksum
right, the database the one member the format names, and it opens — and only
then replaces the files and the database. A damaged or crafted archive stops
with a French message (`BackupError`) and changes nothing.

An archive holds password hashes, sessions and personal data: it is written
readable by its owner only (0600), in a folder only its owner may enter
(0700). A restore forgets the portal's cached data (its own keys only: the
Redis database may serve other applications, and the rate-limit counters
are kept) and tells every running server that its cached pages are stale
(`pagecache.forget_all`).
"""

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from . import pagecache

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_NAME = "database.sqlite3"
POSTGRES_NAME = "database.sql"
FILES_PREFIX = "files"
CHUNK = 1024 * 1024
# Owner only: the archive holds password hashes, sessions, personal data.
ARCHIVE_MODE = 0o600
FOLDER_MODE = 0o700
# Cache keys a restore keeps: abuse counters say nothing about the data.
KEPT_CACHE_KEYS = ("ratelimit:",)
GLOB_SPECIAL = re.compile(r"[*?\[\]\\]")


class BackupError(Exception):
    """Backing up or restoring cannot go on; the message is French."""


def engine():
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(
            _("Base de données « %(vendor)s » non prise en charge.")
            % {"vendor": vendor}
        )
    return vendor


def directories():
    """{name in the archive: folder} for every file folder to keep."""
    folders = {"media": Path(settings.MEDIA_ROOT)}
    folders.update(
        {
            name: Path(path)
            for name, path in getattr(settings, "PORTAL_BACKUP_DIRECTORIES", {}).items()
        }
    )
    # A private folder kept outside MEDIA_ROOT (e.g. documents served only
    # through a view) is kept too, whatever the name of its setting.
    for setting in dir(settings):
        if re.fullmatch(r"[A-Z_]*PRIVATE[A-Z_]*_(ROOT|DIR)", setting):
            path = getattr(settings, setting)
            if path and Path(path) not in folders.values():
                folders[setting.lower()] = Path(path)
    return folders


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


# --- The database ------------------------------------------------------------


def _pg_env_and_args(settings_dict):
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    return env, args


def _client(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "Le programme %(name)s est introuvable : installez le client "
                "PostgreSQL (paquet postgresql-client)."
            )
            % {"name": name}
        )
    return path


def dump_database(target):
    """Write the database to `target` (a file path)."""
    vendor = engine()
    connection.ensure_connection()
    if vendor == "sqlite":
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return
    env, args = _pg_env_and_args(connection.settings_dict)
    result = subprocess.run(  # noqa: S603 (fixed program, our own arguments)
        [
            _client("pg_dump"),
            *args,
            "--no-owner",
            "--no-privileges",
            "--format=plain",
            "--file",
            str(target),
            connection.settings_dict["NAME"],
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            _("pg_dump a échoué : %(error)s") % {"error": result.stderr.strip()}
        )


def _check_sqlite(path):
    try:
        database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (verdict,) = database.execute("PRAGMA integrity_check").fetchone()
            database.execute("SELECT COUNT(*) FROM django_migrations").fetchone()
        finally:
            database.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(
            _(
                "La base de données de la sauvegarde est illisible (%(error)s). "
                "Rien n'a été modifié."
            )
            % {"error": error}
        ) from error
    if verdict != "ok":
        raise BackupError(
            _(
                "La base de données de la sauvegarde est endommagée (%(error)s). "
                "Rien n'a été modifié."
            )
            % {"error": verdict}
        )


def _check_postgres_dump(path):
    with open(path, encoding="utf-8", errors="replace") as handle:
        head = handle.read(4096)
    if "PostgreSQL database dump" not in head:
        raise BackupError(
            _(
                "Le fichier %(name)s n'est pas une sauvegarde PostgreSQL. "
                "Rien n'a été modifié."
            )
            % {"name": POSTGRES_NAME}
        )
    with open(path, "rb") as handle:
        handle.seek(max(0, os.path.getsize(path) - 4096))
        tail = handle.read().decode("utf-8", errors="replace")
    if "PostgreSQL database dump complete" not in tail:
        raise BackupError(
            _(
                "La sauvegarde PostgreSQL est incomplète (fichier tronqué). "
                "Rien n'a été modifié."
            )
        )


def load_database(source, vendor):
    """Replace the whole database by the one in `source`, in one step."""
    if vendor == "sqlite":
        origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        connection.ensure_connection()
        try:
            # One step, under SQLite's lock: readers see before or after.
            origin.backup(connection.connection)
        finally:
            origin.close()
    else:
        connection.close()
        env, args = _pg_env_and_args(connection.settings_dict)
        result = subprocess.run(  # noqa: S603 (fixed program, our own arguments)
            [
                _client("psql"),
                *args,
                "--no-psqlrc",
                "--quiet",
                "--set",
                "ON_ERROR_STOP=1",
                "--single-transaction",
                "--command",
                "DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
                "--file",
                str(source),
                connection.settings_dict["NAME"],
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(
                _("psql a échoué, la base n'a pas été modifiée : %(error)s")
                % {"error": result.stderr.strip()[-2000:]}
            )
    ContentType.objects.clear_cache()


# --- Writing an archive ------------------------------------------------------


def default_folder():
    return Path(getattr(settings, "PORTAL_BACKUP_ROOT", settings.BASE_DIR / "backups"))


def create(folder=None, now=None):
    """Write the archive and return its path."""
    vendor = engine()
    folder = Path(folder or default_folder())
    if not folder.is_dir() or folder == default_folder():
        # The default folder is the portal's own: tightened if it was not.
        # A folder given on the command line keeps its mode, once it exists.
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        folder.chmod(FOLDER_MODE)
    now = now or timezone.now()
    stamp = now.astimezone(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    target = folder / f"portail-{stamp}.tar.gz"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"portail-{stamp}-{counter}.tar.gz"
    with tempfile.TemporaryDirectory(dir=folder) as work:
        database_name = SQLITE_NAME if vendor == "sqlite" else POSTGRES_NAME
        database_path = Path(work) / database_name
        dump_database(database_path)
        checksums = {database_name: _sha256(database_path)}
        members = []
        for name, root in directories().items():
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    arcname = (
                        f"{FILES_PREFIX}/{name}/{path.relative_to(root).as_posix()}"
                    )
                    checksums[arcname] = _sha256(path)
                    members.append((path, arcname))
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": vendor,
            "database": database_name,
            "directories": sorted(directories()),
            "checksums": checksums,
        }
        partial = target.with_name(target.name + ".partial")
        # Created 0600 by os.open (a umask can only narrow it): never
        # readable by others, not even for an instant.
        descriptor = os.open(
            partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, ARCHIVE_MODE
        )
        with (
            os.fdopen(descriptor, "wb") as handle,
            tarfile.open(fileobj=handle, mode="w:gz") as archive,
        ):
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(database_path, arcname=database_name)
            for path, arcname in members:
                archive.add(path, arcname=arcname)
        partial.rename(target)
    return target


# --- Restoring it ------------------------------------------------------------


def _unsafe(member):
    name = member.name
    return (
        name.startswith(("/", "\\"))
        or ".." in Path(name).parts
        or not (member.isfile() or member.isdir())
    )


def check(archive_path, work):
    """Extract the archive into `work` and check all of it. Returns the
    manifest. Raises BackupError (French) on the first problem."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(
            _("Le fichier %(path)s n'existe pas.") % {"path": archive_path}
        )
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            members = archive.getmembers()
            for member in members:
                if _unsafe(member):
                    raise BackupError(
                        _(
                            "La sauvegarde contient un chemin refusé (%(name)s) : "
                            "elle n'est pas restaurée."
                        )
                        % {"name": member.name}
                    )
            archive.extractall(work, filter="data")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(
            _(
                "La sauvegarde est endommagée ou n'est pas une archive du portail "
                "(%(error)s). Rien n'a été modifié."
            )
            % {"error": error}
        ) from error
    work = Path(work)
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(
            _("La sauvegarde n'a pas de manifeste lisible. Rien n'a été modifié.")
        ) from error
    if not isinstance(manifest, dict) or not isinstance(
        manifest.get("checksums"), dict
    ):
        raise BackupError(
            _("La sauvegarde n'a pas de manifeste lisible. Rien n'a été modifié.")
        )
    if manifest.get("format") != FORMAT:
        raise BackupError(_("Format de sauvegarde inconnu. Rien n'a été modifié."))
    if manifest.get("engine") != engine():
        raise BackupError(
            _(
                "Cette sauvegarde vient d'une base %(theirs)s ; la base configurée "
                "est %(ours)s. Rien n'a été modifié."
            )
            % {"theirs": manifest.get("engine"), "ours": engine()}
        )
    extracted = {
        path.relative_to(work).as_posix()
        for path in work.rglob("*")
        if path.is_file() and path.name != MANIFEST
    }
    checksums = manifest["checksums"]
    # The database is the member the format names for this engine, and a
    # member listed in the checksums: never a path the manifest chooses.
    database_name = SQLITE_NAME if manifest["engine"] == "sqlite" else POSTGRES_NAME
    if manifest.get("database") != database_name or database_name not in checksums:
        raise BackupError(
            _(
                "Le manifeste désigne une base de données hors de l'archive "
                "(%(name)s) : la sauvegarde n'est pas restaurée. Rien n'a été "
                "modifié."
            )
            % {"name": manifest.get("database")}
        )
    if extracted != set(checksums):
        raise BackupError(
            _(
                "La sauvegarde est incomplète ou contient des fichiers inattendus. "
                "Rien n'a été modifié."
            )
        )
    for name, digest in checksums.items():
        if _sha256(work / name) != digest:
            raise BackupError(
                _(
                    "Le fichier %(name)s de la sauvegarde est altéré (somme de "
                    "contrôle fausse). Rien n'a été modifié."
                )
                % {"name": name}
            )
    database = work / database_name
    if manifest["engine"] == "sqlite":
        _check_sqlite(database)
    else:
        _check_postgres_dump(database)
    return manifest


def _swap_in(source, target):
    """Put `source` at `target`; returns where the old folder went (or None)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = None
    if target.exists():
        aside = target.with_name(f".{target.name}.avant-restauration")
        if aside.exists():
            shutil.rmtree(aside)
        target.rename(aside)
    if source.is_dir():
        shutil.move(str(source), str(target))
    else:
        target.mkdir()
    return aside


def restore(archive_path):
    """Check the whole archive, then put its files and database back.
    Returns the manifest."""
    folders = directories()
    scratch_parent = Path(settings.MEDIA_ROOT).parent
    scratch_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch_parent) as work:
        manifest = check(archive_path, work)
        swapped = []
        try:
            for name, root in folders.items():
                if name not in manifest.get("directories", []):
                    continue  # a folder the archive never had: left alone
                source = Path(work) / FILES_PREFIX / name
                swapped.append((root, _swap_in(source, root)))
            load_database(Path(work) / manifest["database"], manifest["engine"])
        except Exception:
            # Put the files back as they were: the database is untouched.
            for root, aside in reversed(swapped):
                if root.exists():
                    shutil.rmtree(root)
                if aside is not None:
                    aside.rename(root)
            raise
        for _root, aside in swapped:
            if aside is not None:
                shutil.rmtree(aside, ignore_errors=True)
    # Cached pages and counts describe the data that was just replaced.
    for cache in caches.all():
        forget_cached_data(cache)
    pagecache.forget_all()
    return manifest


def forget_cached_data(cache):
    """Delete the portal's keys from `cache`, except the rate-limit counters.
    On Redis, the keys under the portal's prefix only, found with SCAN (never
    FLUSHDB: the database may hold other applications' keys). A cache only
    the portal uses (local memory, files, a table) is simply emptied, counters
    included."""
    client = _redis_client(cache)
    if client is None:
        cache.clear()
        return
    pattern = GLOB_SPECIAL.sub(r"[\g<0>]", str(cache.make_key(""))) + "*"
    kept = tuple(cache.make_key(prefix).encode() for prefix in KEPT_CACHE_KEYS)
    batch = []
    for key in client.scan_iter(match=pattern, count=500):
        if not key.startswith(kept):
            batch.append(key)
        if len(batch) >= 500:
            client.delete(*batch)
            batch = []
    if batch:
        client.delete(*batch)


def _redis_client(cache):
    """The redis-py client behind `cache` (django-redis or Django's own Redis
    backend), or None for any other backend."""
    if hasattr(cache, "client") and hasattr(cache.client, "get_client"):
        return cache.client.get_client(write=True)  # django-redis
    inner = getattr(cache, "_cache", None)
    if hasattr(inner, "get_client"):
        return inner.get_client(write=True)  # django.core.cache.backends.redis
    return None
