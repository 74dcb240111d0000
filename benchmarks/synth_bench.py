"""Synthetic data benchmark (issue 2): Asylon's `synthesise` against a raw bulk insert of the same rows.

In one run, on a fresh database:

(a) Asylon: `synthesise(persons=N)` draws the stories, builds model instances, encrypts every
    sensitive field, computes blind indexes and deadlines, and writes with `bulk_create` and
    `record_many` (audit), one transaction per 1,000 persons.
(b) Baseline: the very rows (a) wrote, read back (clear columns and ciphertext bytes as stored)
    and inserted with `executemany` on a plain DB-API connection (sqlite3 or psycopg) into a copy
    of the database as it was before (a), in transactions of 50,000 rows. Only the inserts are
    timed: no generation, no encryption, no Django.

It asserts that both hold the same number of rows per table and that a sample of Asylon's rows
decrypts, then prints both times, rows per second and the ratio.

    .venv/bin/python benchmarks/synth_bench.py                       # SQLite in a temporary data directory
    .venv/bin/python benchmarks/synth_bench.py --persons 2000        # a quick run
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE bench_synth'
    .venv/bin/python benchmarks/synth_bench.py --database-url postgresql://postgres@127.0.0.1:5432/bench_synth
    psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE bench_synth'

With PostgreSQL the scratch database must be empty; the script creates `<name>_baseline` from it
as a template, drops that at the end and empties the scratch database again.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench_environment import benchmark_environment

CHUNK_ROWS = 50_000
SAMPLE_ROWS = 500


@dataclass
class Timings:
    """What each side wrote and how long it took."""

    asylon_seconds: float = 0.0
    baseline_seconds: float = 0.0
    rows_per_table: dict[str, int] = field(default_factory=dict)
    load_before: float = 0.0  # one-minute load average: other work on the machine slows both runs

    @property
    def rows(self) -> int:
        return sum(self.rows_per_table.values())


class SqliteTarget:
    """The Django database is a SQLite file; the baseline is a copy of it taken before the run."""

    placeholder = "?"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.baseline_path = path.with_name("baseline.sqlite3")

    def describe(self) -> str:
        return f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL), file in a temporary directory"

    def ensure_empty(self) -> None:
        if self.path.exists():
            raise SystemExit(f"{self.path} already exists; the benchmark needs a fresh database.")

    def snapshot(self) -> None:
        with sqlite3.connect(self.path) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(self.path, self.baseline_path)

    def source(self) -> Any:
        return sqlite3.connect(self.path)

    def baseline(self) -> Any:
        connection = sqlite3.connect(self.baseline_path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "cache_size=-1048576"):
            connection.execute(f"PRAGMA {pragma}")
        return connection

    def begin(self, connection: Any) -> None:
        connection.execute("BEGIN IMMEDIATE")

    def commit(self, connection: Any) -> None:
        connection.execute("COMMIT")

    def cleanup(self) -> None:
        """The temporary data directory goes as a whole."""


class PostgresTarget:
    """The Django database is an empty scratch PostgreSQL database; the baseline a template copy."""

    placeholder = "%s"

    def __init__(self, url: str) -> None:
        self.url = url
        parts = urlsplit(url)
        self.name = parts.path.lstrip("/")
        self.baseline_name = f"{self.name}_baseline"
        self.baseline_url = urlunsplit(parts._replace(path=f"/{self.baseline_name}"))
        self.maintenance_url = urlunsplit(parts._replace(path="/postgres"))

    def describe(self) -> str:
        import psycopg

        with psycopg.connect(self.url) as connection:
            version = connection.execute("SHOW server_version").fetchone()[0]
        return f"PostgreSQL {version} at {urlsplit(self.url).hostname}, psycopg {psycopg.__version__}"

    def ensure_empty(self) -> None:
        import psycopg

        with psycopg.connect(self.url) as connection:
            tables = connection.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()[0]
        if tables:
            raise SystemExit(f"Database {self.name} has {tables} tables; the benchmark needs an empty one.")

    def _maintenance(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.maintenance_url, autocommit=True) as connection:
            connection.execute(statement)

    def snapshot(self) -> None:
        self._maintenance(f'DROP DATABASE IF EXISTS "{self.baseline_name}"')
        self._maintenance(f'CREATE DATABASE "{self.baseline_name}" TEMPLATE "{self.name}"')

    def source(self) -> Any:
        import psycopg
        from psycopg.types.string import TextLoader

        connection = psycopg.connect(self.url)
        for json_type in ("json", "jsonb"):  # keep JSON as text: it goes back in unchanged
            connection.adapters.register_loader(json_type, TextLoader)
        return connection

    def baseline(self) -> Any:
        import psycopg

        return psycopg.connect(self.baseline_url, autocommit=True)

    def begin(self, connection: Any) -> None:
        connection.execute("BEGIN")

    def commit(self, connection: Any) -> None:
        connection.execute("COMMIT")

    def cleanup(self) -> None:
        import psycopg

        self._maintenance(f'DROP DATABASE IF EXISTS "{self.baseline_name}"')
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default="", help="an empty scratch PostgreSQL database (default: SQLite)")
    return parser.parse_args(argv)


def configure_django(data_dir: Path, database_url: str) -> None:
    """Test settings (sealed keysets, no external services) on a fresh data directory and database."""
    benchmark_environment(data_dir=str(data_dir), database_url=database_url, prefix="asylon-synth-bench-")
    import django

    django.setup()


def written_tables() -> list[tuple[str, str]]:
    """(table, filter) for every table `synthesise` writes, in its write order; audit entries last."""
    from asylon.audit.models import AuditEntry
    from asylon.ops.synth.rows import WRITE_ORDER
    from asylon.ops.synth.writer import AUDITED

    actions = ", ".join(f"'{action}'" for _model, action in AUDITED)
    tables = [(model._meta.db_table, "") for model in WRITE_ORDER]
    return [*tables, (AuditEntry._meta.db_table, f"WHERE action IN ({actions})")]


def run_asylon(persons: int, seed: int) -> tuple[float, Any]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from asylon.accounts.models import Organisation
    from asylon.ops.synth import synthesise

    organisation = Organisation.objects.get()
    with Progress(TextColumn("(a) Asylon synthesise"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as bar:
        task = bar.add_task("synth", total=persons)
        started = time.perf_counter()
        summary = synthesise(
            organisation=organisation,
            persons=persons,
            seed=seed,
            progress=lambda done, _total: bar.update(task, completed=done),
        )
        seconds = time.perf_counter() - started
    return seconds, summary


def check_decryption() -> int:
    """Read every encrypted field of a sample of each model's rows; a value that does not open raises."""
    from asylon.cases.models import Case, Decision, Event, StatusPeriod
    from asylon.common.encrypted import encrypted_fields
    from asylon.people.models import ConsentRecord, Person

    opened = 0
    for model in (Person, Case, Event, Decision, StatusPeriod, ConsentRecord):
        fields = encrypted_fields(model)
        for row in model.objects.order_by("?")[:SAMPLE_ROWS]:
            for encrypted in fields:
                if getattr(row, encrypted.name) is not None:
                    opened += 1
    if not opened:
        raise AssertionError("no encrypted value was read back")
    return opened


def count(connection: Any, table: str, where: str) -> int:
    return int(connection.execute(f'SELECT count(*) FROM "{table}" {where}').fetchone()[0])


def run_baseline(target: Any, tables: list[tuple[str, str]]) -> tuple[float, dict[str, int]]:
    """Insert the rows Asylon wrote into the pre-run copy with executemany; time the inserts only."""
    seconds = 0.0
    rows_per_table: dict[str, int] = {}
    source, baseline = target.source(), target.baseline()
    try:
        for table, where in tables:
            cursor = source.execute(f'SELECT * FROM "{table}" {where}')
            columns = ", ".join(f'"{column[0]}"' for column in cursor.description)
            rows = cursor.fetchall()
            marks = ", ".join([target.placeholder] * len(cursor.description))
            insert = f'INSERT INTO "{table}" ({columns}) VALUES ({marks})'
            baseline_cursor = baseline.cursor()
            started = time.perf_counter()
            for first in range(0, len(rows), CHUNK_ROWS):
                target.begin(baseline)
                baseline_cursor.executemany(insert, rows[first : first + CHUNK_ROWS])
                target.commit(baseline)
            seconds += time.perf_counter() - started
            print(f"  (b) {table}: {len(rows):,} rows", flush=True)
            rows_per_table[table] = len(rows)
            del rows
            written = count(baseline, table, where)
            if written != rows_per_table[table]:
                raise AssertionError(f"{table}: baseline holds {written} rows, Asylon wrote {rows_per_table[table]}")
    finally:
        source.close()
        baseline.close()
    return seconds, rows_per_table


def report(target: Any, persons: int, timings: Timings) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Synthetic data, {persons:,} persons, {timings.rows:,} rows")
    for column in ("run", "seconds", "rows/s"):
        table.add_column(column, justify="left" if column == "run" else "right")
    for name, seconds in (
        ("(a) Asylon synthesise: generate, encrypt, blind-index, audit, bulk_create", timings.asylon_seconds),
        ("(b) baseline: executemany of the same rows", timings.baseline_seconds),
    ):
        table.add_row(name, f"{seconds:,.1f}", f"{timings.rows / seconds:,.0f}")
    console = Console()
    console.print(table)
    console.print(f"ratio (a)/(b): {timings.asylon_seconds / timings.baseline_seconds:.1f}")
    console.print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {target.describe()}, "
        f"{datetime.date.today().isoformat()}; load average before (a) {timings.load_before:.1f}, "
        f"after (b) {os.getloadavg()[0]:.1f}"
    )


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="asylon-synth-bench-"))
    try:
        configure_django(data_dir, arguments.database_url)
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, connections

        from asylon.accounts.services import organisation_create

        target: Any = (
            PostgresTarget(arguments.database_url)
            if arguments.database_url
            else SqliteTarget(Path(settings.DATABASES["default"]["NAME"]))
        )
        target.ensure_empty()
        try:
            call_command("migrate", interactive=False, verbosity=0)
            organisation_create(actor=None, name="Benchmark organisation")
            connections.close_all()
            target.snapshot()
            timings = Timings(load_before=os.getloadavg()[0])
            timings.asylon_seconds, summary = run_asylon(arguments.persons, arguments.seed)
            opened = check_decryption()
            connection.close()
            timings.baseline_seconds, timings.rows_per_table = run_baseline(target, written_tables())
            if timings.rows != summary.rows:
                raise AssertionError(f"tables hold {timings.rows} rows, synthesise reported {summary.rows}")
            print(f"checked: row counts equal per table; {opened:,} sampled encrypted values decrypt")
            report(target, arguments.persons, timings)
        finally:
            connections.close_all()
            target.cleanup()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
