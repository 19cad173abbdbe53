"""Copies of the database taken once and put back in a few statements, for
the tests that must commit (`transaction=True`, `live_server`).

pytest-django empties every table after such a test (Django's `flush`, then
`post_migrate` writes the content types and permissions again), so the next
one starts from an empty site and would build the site tree again, about a
thousand queries, or the whole demo. Instead, the first time a given content
is built on a flushed database, the rows of every table it filled are copied
into side tables (`CREATE TABLE … AS SELECT`, on the server, so that no value
goes through Python; every name in that SQL is a table or column of
Django's models, quoted); when a later test asks for the same content on a
flushed database, the tables are emptied and filled again from the copies
(`INSERT … SELECT`), and PostgreSQL's sequences are moved past the copied
ids. Files written beside the rows (media of the demo) are copied too.

A copy is only used on a database that is exactly as a flush leaves it (the
same tables hold rows): a test whose fixtures have already written something
builds its content the usual way, so nothing of its own is lost."""

import re
import shutil
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import override_settings

PREFIX = "zz_snapshot_"


def _connection():
    return connections[DEFAULT_DB_ALIAS]


def _tables():
    """{table: its columns} for every model table in the database, those of
    models Django does not manage included (SQLite's full-text index, which
    a flush does not empty and whose rows are known by their `rowid`)."""
    connection = _connection()
    existing = set(connection.introspection.table_names())
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or meta.swapped or meta.db_table not in existing:
            continue
        tables[meta.db_table] = (
            [field.column for field in meta.local_concrete_fields],
            meta.managed,
        )
    return tables


def _written_by_triggers():
    """Tables that a trigger fills from another one (on SQLite, Wagtail's
    full-text index follows `wagtailsearch_indexentry`): they are not
    copied, the trigger writes them again when their source is."""
    connection = _connection()
    if connection.vendor != "sqlite":
        return frozenset()
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")
        return frozenset(
            target
            for (sql,) in cursor.fetchall()
            for target in re.findall(r"INSERT INTO (\w+)", sql or "")
        )


def _filled(tables, per_query=400):
    """The tables that hold at least one row, in one query per 400 tables
    (SQLite joins at most 500 SELECTs in one)."""
    connection = _connection()
    quote = connection.ops.quote_name
    names = sorted(tables)
    filled = set()
    with connection.cursor() as cursor:
        for first in range(0, len(names), per_query):
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT {n} FROM (SELECT 1 FROM {quote(names[n])} LIMIT 1) AS q{n}"  # noqa: S608
                    for n in range(first, min(first + per_query, len(names)))
                )
            )
            filled.update(names[row[0]] for row in cursor.fetchall())
    return frozenset(filled)


# --- Files beside the rows: the two media folders -----------------------------

MEDIA_SETTINGS = {"media": "MEDIA_ROOT", "private-media": "PRIVATE_MEDIA_ROOT"}


def media_in(folder):
    """Settings that write the media of what is built into `folder`."""
    return override_settings(
        **{setting: Path(folder) / name for name, setting in MEDIA_SETTINGS.items()}
    )


def save_media(folder):
    """The current media folders, copied into `folder`."""
    for name, setting in MEDIA_SETTINGS.items():
        root = Path(getattr(settings, setting))
        if root.exists():
            shutil.copytree(root, Path(folder) / name, dirs_exist_ok=True)


def put_back_media(folder):
    """The files saved in `folder` (`save_media`, or written under
    `media_in`), copied into the current media folders."""
    for name, setting in MEDIA_SETTINGS.items():
        if (Path(folder) / name).exists():
            shutil.copytree(
                Path(folder) / name, getattr(settings, setting), dirs_exist_ok=True
            )


def _counts(tables):
    """{table: number of rows}, in one query: what tells that nothing was
    written since a copy was put back."""
    connection = _connection()
    quote = connection.ops.quote_name
    names = sorted(tables)
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT {n}, COUNT(*) FROM {quote(t)}"  # noqa: S608
                for n, t in enumerate(names)
            )
        )
        return {names[n]: count for n, count in cursor.fetchall()}


class Snapshots:
    """The copies of this test process, by name ("tree", "demo", or what a
    test module builds on the tree, "guides" say)."""

    def __init__(self):
        self.flushed = None  # the tables a flush leaves filled
        self.taken = {}  # name -> (tables copied, folder of the files, base)
        self.folder = None
        # The copy last put back or taken in this test, and the row counts
        # right after it.
        self.last = None
        self.counts = {}

    def _is_flushed(self, tables, filled):
        """Whether the database is as a flush leaves it (no page at all, not
        even Wagtail's root). Tables Django does not manage are left out of
        the comparison: a flush leaves them as they were."""
        if "wagtailcore_page" in filled:
            return False
        managed = frozenset(t for t in filled if tables[t][1])
        if self.flushed is None:
            self.flushed = managed
        return managed == self.flushed

    def forget_last(self):
        """A new test begins: no copy has been put back in it yet."""
        self.last = None

    def _base(self):
        """(base, filled tables) when this database is exactly a flushed one
        (base None) or the copy last put back, untouched since (same row
        counts in every table); None otherwise."""
        tables = _tables()
        filled = _filled(tables)
        if self._is_flushed(tables, filled):
            return None, filled
        if self.last is not None and _counts(tables) == self.counts[self.last]:
            return self.last, filled
        return None

    def build(self, name, make):
        """`make()` on this database, or its copy put back if one was taken
        on a database like this one: flushed, or holding exactly the copy
        put back just before (the tree, for what a module builds on it).
        Returns what `make()` returns, or, from a copy, `None` (the caller
        reads what it needs)."""
        if _connection().in_atomic_block:
            return make()
        found = self._base()
        if found is None:
            return make()
        base, state = found
        if name in self.taken and self.taken[name][2] == base:
            self._restore(name, state)
            result = None
        else:
            result = make()
            self._take(name, base)
        self.last = name
        self.counts[name] = _counts(_tables())
        return result

    def _take(self, name, base):
        connection = _connection()
        quote = connection.ops.quote_name
        tables = _tables()
        filled = _filled(tables) - _written_by_triggers()
        with connection.cursor() as cursor:
            for table in filled:
                side = quote(f"{PREFIX}{name}_{table}")
                columns = ", ".join(quote(c) for c in tables[table][0])
                cursor.execute(f"DROP TABLE IF EXISTS {side}")
                cursor.execute(
                    f"CREATE TABLE {side} AS SELECT {columns} FROM {quote(table)}"  # noqa: S608
                )
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="portal-snapshots-"))
        files = self.folder / name
        save_media(files)
        self.taken[name] = (filled, files, base)

    def _restore(self, name, state):
        connection = _connection()
        quote = connection.ops.quote_name
        copied, files, _ = self.taken[name]
        tables = _tables()
        with transaction.atomic(), connection.cursor() as cursor:
            for table in sorted(state | copied):
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
            for table in sorted(copied):
                side = quote(f"{PREFIX}{name}_{table}")
                columns = ", ".join(quote(c) for c in tables[table][0])
                cursor.execute(
                    f"INSERT INTO {quote(table)} ({columns}) "  # noqa: S608
                    f"SELECT {columns} FROM {side}"
                )
            models = [
                model
                for model in apps.get_models(include_auto_created=True)
                if model._meta.db_table in copied
            ]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        put_back_media(files)
        # Ids of content types changed under Django's cache of them.
        ContentType.objects.clear_cache()
        cache.clear()

    def close(self):
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def faster_flush(monkeypatch):
    """After each transactional test pytest-django flushes the database. On
    PostgreSQL that is one TRUNCATE of the 120 tables, about a quarter of a
    second whatever they hold; deleting the rows of the few tables that hold
    any takes milliseconds (Django's foreign keys are checked at commit, and
    the flush runs in one transaction). Sequences are left as TRUNCATE
    without RESTART IDENTITY leaves them."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self,
                style,
                tables,
                reset_sequences=reset_sequences,
                allow_cascade=allow_cascade,
            )
        filled = _filled(list(tables))
        return [f"DELETE FROM {self.quote_name(t)};" for t in tables if t in filled]  # noqa: S608

    monkeypatch.setattr(DatabaseOperations, "sql_flush", sql_flush)
