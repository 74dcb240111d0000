"""A consistent copy of the database, what it holds (rows per table, applied migrations), and its load.

SQLite: the online backup API copies the live file page by page under a read transaction, so the
copy is one consistent state while servers keep writing. PostgreSQL: a REPEATABLE READ transaction
exports its snapshot, the rows are counted in it and `pg_dump --snapshot` dumps that same state.
"""

from __future__ import annotations

import os
import shutil
import sqlite3

# subprocess runs PostgreSQL's own pg_dump and pg_restore with fixed argument lists, never a shell.
import subprocess  # nosec B404
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
SNAPSHOT_NAMES = {SQLITE: "asylon.sqlite3", POSTGRESQL: "asylon.pgdump"}
LIBPQ_VARIABLES = {"PGHOST": "HOST", "PGPORT": "PORT", "PGUSER": "USER", "PGPASSWORD": "PASSWORD", "PGDATABASE": "NAME"}
MIGRATIONS_TABLE = "django_migrations"
SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"


class SnapshotError(Exception):
    """The database could not be copied or loaded."""


@dataclass(frozen=True)
class Contents:
    tables: dict[str, int]
    migrations: list[list[str]]


@dataclass(frozen=True)
class Snapshot:
    path: Path
    engine: str
    contents: Contents


def engine_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in SNAPSHOT_NAMES:
        raise SnapshotError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def database_snapshot(directory: Path, using: str = DEFAULT_DB_ALIAS) -> Snapshot:
    """Copy the database into `directory` as one consistent state and describe what the copy holds."""
    connection = connections[using]
    engine = engine_of(connection)
    path = directory / SNAPSHOT_NAMES[engine]
    if engine == SQLITE:
        return Snapshot(path=path, engine=engine, contents=_sqlite_snapshot(connection, path))
    return Snapshot(path=path, engine=engine, contents=_postgresql_snapshot(connection, path))


def _sqlite_snapshot(connection: BaseDatabaseWrapper, path: Path) -> Contents:
    source_name = str(connection.settings_dict["NAME"])
    if source_name == ":memory:" or source_name.startswith("file::memory:"):
        raise SnapshotError("An in-memory SQLite database cannot be backed up.")
    if not Path(source_name).is_file():
        raise SnapshotError(f"There is no database at {source_name}: nothing to back up.")
    source = sqlite3.connect(source_name, timeout=30)
    target = sqlite3.connect(path)
    try:
        source.backup(target)
        # A rollback journal: the copy is one self-contained file that can be read without writing.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()
    return sqlite_contents(path)


def sqlite_contents(path: Path) -> Contents:
    """Rows per table and applied migrations of a snapshot file (no write-ahead log), read-only and without locks."""
    database = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        names = [name for (name,) in database.execute(SQLITE_TABLES)]
        return _contents(database.cursor(), names, quote=_sqlite_quote)
    except sqlite3.DatabaseError as error:
        raise SnapshotError(f"The SQLite snapshot does not open: {error}") from error
    finally:
        database.close()


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _contents(cursor: Any, table_names: list[str], quote: Any) -> Contents:
    tables = {}
    for name in table_names:
        # Table names come from the database's own catalogue and are quoted; nothing to bind.
        cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")  # noqa: S608  # nosec B608
        tables[name] = int(cursor.fetchone()[0])
    migrations: list[list[str]] = []
    if MIGRATIONS_TABLE in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [[app, name] for app, name in cursor.fetchall()]
    return Contents(tables=tables, migrations=migrations)


def _postgresql_snapshot(connection: BaseDatabaseWrapper, path: Path) -> Contents:
    if connection.in_atomic_block:
        raise SnapshotError("A PostgreSQL snapshot needs its own transaction; call it outside transaction.atomic.")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        contents = _postgresql_contents(connection, cursor)
        _run(
            [
                _program("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot_id}",
                f"--file={path}",
            ],
            connection,
        )
    return contents


def _postgresql_contents(connection: BaseDatabaseWrapper, cursor: Any) -> Contents:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    names = [name for (name,) in cursor.fetchall()]
    return _contents(cursor, names, quote=connection.ops.quote_name)


def database_contents(using: str = DEFAULT_DB_ALIAS) -> Contents:
    """Rows per table and applied migrations of the configured database, as it is now."""
    connection = connections[using]
    if engine_of(connection) == SQLITE:
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_TABLES)
            return _contents(cursor, [name for (name,) in cursor.fetchall()], quote=_sqlite_quote)
    with connection.cursor() as cursor:
        return _postgresql_contents(connection, cursor)


def database_is_empty(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True when the configured database has no table (SQLite: the file is missing or empty)."""
    connection = connections[using]
    if engine_of(connection) == SQLITE:
        path = Path(connection.settings_dict["NAME"])
        return not path.exists() or path.stat().st_size == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()")
        return int(cursor.fetchone()[0]) == 0


def database_load(snapshot: Path, engine: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Load a snapshot into the configured, empty database of the same engine."""
    connection = connections[using]
    if engine_of(connection) != engine:
        raise SnapshotError(
            f"The backup holds a {engine} database but the configured database is {connection.vendor}: "
            "restore into the same kind of database (set ASYLON_DATABASE_URL)."
        )
    if engine == SQLITE:
        target = Path(connection.settings_dict["NAME"])
        connection.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.move(snapshot, target)
        target.chmod(0o600)
        return
    _run(
        [
            _program("pg_restore"),
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(snapshot),
        ],
        connection,
    )


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise SnapshotError(
            f"{name} is not installed: install the PostgreSQL client (apt-get install postgresql-client)."
        )
    return found


def _libpq_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    environment = dict(os.environ)
    for variable, key in LIBPQ_VARIABLES.items():
        value = connection.settings_dict.get(key)
        if value:
            environment[variable] = str(value)
    sslmode = (connection.settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = str(sslmode)
    return environment


def _run(arguments: list[str], connection: BaseDatabaseWrapper) -> None:
    # Fixed arguments to PostgreSQL's client programs; the password travels in the environment.
    result = subprocess.run(  # noqa: S603  # nosec B603
        arguments, env=_libpq_environment(connection), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        program = Path(arguments[0]).name
        raise SnapshotError(f"{program} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")
