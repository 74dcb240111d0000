"""Import benchmark (issue 6): Asylon's import of a 100,000-row CSV against django-import-export and executemany.

In one run, on a fresh database, with the same CSV (synthetic persons from `asylon.ops.synth.names`,
a fixed seed, two rows and so two events per person, each person with their own case):

(a) Asylon: `import_check` is not timed; `import_commit` in mode "all" is: reading and parsing the
    file, per-column validation (field validators, vocabulary, dates), encryption of every sensitive
    value, blind indexes, the re-import identities, the audit entries, `bulk_create` in one
    transaction, duplicate detection.
(b) django-import-export: plain `ModelResource`s for Person, Case and Event (`dry_run=False`,
    `use_transactions=True`), fed the same rows as datasets of stored values (its widgets parse
    the dates; encryption happens because `save()` calls the fields' `pre_save`), no validation
    beyond its own, no blind index, no audit. Cases need their own resource because events point
    to them. It runs at tens of rows per second: `--baseline-rows N` feeds it the first N rows and
    the ratios are per row.
(c) Raw `executemany` of the rows (a) wrote to the person, case and event tables (as stored:
    ciphertext bytes, clear columns) under new keys on a plain DB-API connection. Only the inserts
    are timed.

It asserts that all three wrote the same number of persons, cases and events (for (b): of its rows),
and that a sample of Asylon's rows decrypts, then prints the three with rows per second and ratios.

    .venv/bin/python benchmarks/import_bench.py --baseline-rows 5000  # SQLite in a temporary data directory
    .venv/bin/python benchmarks/import_bench.py --rows 10000        # a quick run
    .venv/bin/python benchmarks/import_bench.py --profile           # cProfile of (a), top 40 by own time
    PROFILE_DUMP=/tmp/import.prof .venv/bin/python benchmarks/import_bench.py --rows 20000 --asylon-only --profile
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE bench_import'
    .venv/bin/python benchmarks/import_bench.py --baseline-rows 5000 \
        --database-url postgresql://postgres@127.0.0.1:5432/bench_import
    psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE bench_import'
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime
import io
import os
import platform
import pstats
import random
import shutil
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench_environment import benchmark_environment

SAMPLE_ROWS = 500
HEADERS = ["Record no.", "Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "Гражданство", "Дело"]
EVENT_HEADERS = ["Событие", "Дата события", "Страна", "Описание"]
EVENT_TYPES = ("summons_issued", "Выдана повестка", "criminal_case_opened", "Detention")
COUNTRIES = {"BY": "Беларусь", "RU": "RU", "UA": "Ukraine"}


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="CSV rows (two per person)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default="", help="an empty scratch PostgreSQL database (default: SQLite)")
    parser.add_argument("--profile", action="store_true", help="profile (a) with cProfile and print the top functions")
    parser.add_argument("--asylon-only", action="store_true", help="run (a) only (profiling)")
    parser.add_argument(
        "--baseline-rows", type=int, default=0, help="feed (b) only the first N rows (it runs at tens of rows/s)"
    )
    return parser.parse_args(argv)


def sheet(rows: int, seed: int) -> bytes:
    """The CSV: two rows per fictional person (same person columns, a different event each)."""
    from asylon.ops.synth.names import full_name

    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([*HEADERS, *EVENT_HEADERS])
    for number in range(rows // 2):
        citizenship = rng.choice(list(COUNTRIES))
        female = rng.random() < 0.3
        name = next(iter(full_name(rng, citizenship, female).values()))
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(40 * 365))
        person = [
            f"P{number + 1:06d}",
            name.family_name,
            name.given_name,
            name.patronymic,
            born.strftime("%d.%m.%Y") if rng.random() < 0.8 else str(born.year),
            "female" if female else "male",
            COUNTRIES[citizenship],
            f"BENCH-{number + 1:06d}",
        ]
        for event in range(2):
            on = datetime.date(2022, 1, 1) + datetime.timedelta(days=rng.randrange(1000))
            when = on.strftime("%d.%m.%Y") if event == 0 else on.strftime("%m/%Y")
            text = f"Synthetic event {event + 1} of record {number + 1}" if rng.random() < 0.7 else ""
            writer.writerow([*person, EVENT_TYPES[(number + event) % len(EVENT_TYPES)], when, citizenship, text])
    return buffer.getvalue().encode("utf-8")


def configure_django(data_dir: Path, database_url: str) -> None:
    benchmark_environment(data_dir=str(data_dir), database_url=database_url, prefix="asylon-import-bench-")
    import django

    django.setup()


def run_asylon(data: bytes, organisation: Any, actor: Any, profile: bool) -> tuple[float, dict[str, Any]]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from asylon.ops.imports.targets import suggested_mapping
    from asylon.ops.selectors import import_preview, import_report
    from asylon.ops.services.imports import import_commit, import_map, import_upload

    run = import_upload(actor=actor, organisation=organisation, upload=SimpleUploadedFile("bench.csv", data))
    headers = import_preview(user=actor, run=run).headers
    mapping = {**suggested_mapping(headers), "Record no.": "person.external_id", "Дата события": "event.date"}
    run = import_map(actor=actor, run=run, mapping=mapping, options={})
    run.status = "checked"  # the dry run is not what is measured
    run.save(update_fields=["status"])
    profiler = cProfile.Profile() if profile else None
    with Progress(TextColumn("(a) Asylon import"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as bar:
        task = bar.add_task("import", total=None)
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        run = import_commit(
            actor=actor, run=run, mode="all", progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
        print(f"  (a) {seconds:.1f} s wall, {time.process_time() - cpu_started:.1f} s CPU in this process", flush=True)
    if profiler:
        order, top = os.environ.get("PROFILE_SORT", "cumulative"), int(os.environ.get("PROFILE_TOP", "45"))
        pstats.Stats(profiler).sort_stats(order).print_stats(top)  # PROFILE_SORT=tottime for own time
        if os.environ.get("PROFILE_DUMP"):  # a file for pstats (callers, callees)
            profiler.dump_stats(os.environ["PROFILE_DUMP"])
    report = import_report(user=actor, run=run)
    if report["problems"]:
        raise AssertionError(f"Asylon's import found problems: {report['problems'][:5]}")
    return seconds, report


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8")), delimiter=";"))


def run_import_export(data: bytes, organisation: Any, limit: int) -> float:
    """Person, Case and Event ModelResources on datasets of the stored values of the same rows."""
    import tablib
    from import_export import resources

    from asylon.cases.models import Case, Event
    from asylon.people.models import Person
    from asylon.vocab.models import Term

    class PersonResource(resources.ModelResource):
        class Meta:
            model = Person
            fields = ("id", "organisation", "family_name", "given_name", "patronymic", "birth_year", "sex")
            use_transactions = True

    class CaseResource(resources.ModelResource):
        class Meta:
            model = Case
            fields = ("id", "organisation", "reference", "opened_on", "jurisdiction")
            use_transactions = True

    class EventResource(resources.ModelResource):
        class Meta:
            model = Event
            fields = (
                "id", "organisation", "case", "person", "event_type", "date_precision", "year", "month", "country",
                "description",
            )  # fmt: skip
            use_transactions = True

    terms = {code: Term.objects.get(vocabulary__code="event_type", code=code, organisation=None).pk for code in (
        "summons_issued", "criminal_case_opened", "detention")}  # fmt: skip
    type_of = {"Выдана повестка": "summons_issued", "Detention": "detention"}
    org = str(organisation.pk)
    persons = tablib.Dataset(
        headers=["id", "organisation", "family_name", "given_name", "patronymic", "birth_year", "sex"]
    )
    cases = tablib.Dataset(headers=["id", "organisation", "reference", "opened_on", "jurisdiction"])
    events = tablib.Dataset(
        headers=["id", "organisation", "case", "person", "event_type", "date_precision", "year", "month", "country",
                 "description"]
    )  # fmt: skip
    seen: dict[str, tuple[str, str]] = {}
    for row in rows_of(data)[: limit or None]:
        if row["Record no."] not in seen:
            person_id, case_id = str(uuid.uuid4()), str(uuid.uuid4())
            seen[row["Record no."]] = (person_id, case_id)
            birth = row["Дата рождения"]
            persons.append([person_id, org, row["Фамилия"], row["Имя"], row["Отчество"], birth[-4:],
                            row["Пол"]])  # fmt: skip
            cases.append([case_id, org, f"IE-{row['Дело']}", "2024-01-15", "LT"])
        person_id, case_id = seen[row["Record no."]]
        when = row["Дата события"]
        month, year = (int(when[3:5]), int(when[6:])) if when.count(".") == 2 else (int(when[:2]), int(when[3:]))
        code = type_of.get(row["Событие"], row["Событие"])
        events.append([str(uuid.uuid4()), org, case_id, person_id, terms[code], "month", year, month, row["Страна"],
                       row["Описание"]])  # fmt: skip
    started = time.perf_counter()
    for resource, dataset in ((PersonResource(), persons), (CaseResource(), cases), (EventResource(), events)):
        result = resource.import_data(dataset, dry_run=False, use_transactions=True, raise_errors=True)
        if result.has_errors() or result.has_validation_errors():
            raise AssertionError(f"django-import-export reported errors for {resource}")
        print(f"  (b) {resource.Meta.model._meta.label}: {len(dataset):,} rows", flush=True)
    return time.perf_counter() - started


def run_executemany(connection_factory: Any, placeholder: str, source_org: Any, target_org: Any) -> float:
    """Copy (a)'s person, case and event rows as stored, under new keys, with executemany."""
    from django.db import connection

    from asylon.cases.models import Case, Event
    from asylon.people.models import Person

    seconds = 0.0
    new_ids: dict[Any, str] = {}
    for model in (Person, Case, Event):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT * FROM "{table}" WHERE organisation_id = %s',
                [source_org.pk.hex if connection.vendor == "sqlite" else source_org.pk],
            )
            columns = [column[0] for column in cursor.description]
            rows = [list(row) for row in cursor.fetchall()]
        connection.close()
        key_columns = [index for index, name in enumerate(columns) if name in ("id", "case_id", "person_id")]
        org_column = columns.index("organisation_id")
        reference = columns.index("reference") if "reference" in columns else None
        for row in rows:
            for index in key_columns:
                if row[index] is not None:
                    row[index] = new_ids.setdefault(
                        row[index], uuid.uuid4().hex if connection.vendor == "sqlite" else str(uuid.uuid4())
                    )
            row[org_column] = target_org.pk.hex if connection.vendor == "sqlite" else str(target_org.pk)
            if reference is not None:
                row[reference] = f"RAW-{row[reference]}"
        marks = ", ".join([placeholder] * len(columns))
        insert = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})'
        raw = connection_factory()
        started = time.perf_counter()
        cursor = raw.cursor()
        cursor.execute("BEGIN")
        cursor.executemany(insert, rows)
        cursor.execute("COMMIT")
        seconds += time.perf_counter() - started
        raw.close()
        print(f"  (c) {table}: {len(rows):,} rows", flush=True)
    return seconds


def check_decryption(organisation: Any) -> int:
    from asylon.cases.models import Event
    from asylon.common.encrypted import encrypted_fields
    from asylon.people.models import Person

    opened = 0
    for model in (Person, Event):
        for row in model.objects.filter(organisation=organisation).order_by("?")[:SAMPLE_ROWS]:
            for field in encrypted_fields(model):
                if getattr(row, field.name) is not None:
                    opened += 1
    if not opened:
        raise AssertionError("no encrypted value was read back")
    return opened


def written(organisation: Any) -> dict[str, int]:
    from asylon.cases.models import Case, Event
    from asylon.people.models import Person

    return {model.__name__: model.objects.filter(organisation=organisation).count() for model in (Person, Case, Event)}


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="asylon-import-bench-"))
    try:
        configure_django(data_dir, arguments.database_url)
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, connections

        from asylon.accounts.models import Role
        from asylon.accounts.services import organisation_create
        from tests.factories import staff

        if arguments.database_url:
            import psycopg

            with psycopg.connect(arguments.database_url) as probe:
                tables = probe.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                ).fetchone()[0]
            if tables:
                raise SystemExit("The PostgreSQL scratch database must be empty.")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            organisations = [organisation_create(actor=None, name=f"Benchmark {side}") for side in "abc"]
            actor = staff(organisations[0], Role.CASEWORKER)
            data = sheet(arguments.rows, arguments.seed)
            print(f"CSV: {arguments.rows:,} rows, {len(data) / 2**20:.1f} MiB", flush=True)
            load_before = os.getloadavg()[0]
            asylon_seconds, report = run_asylon(data, organisations[0], actor, arguments.profile)
            opened = check_decryption(organisations[0])
            if arguments.asylon_only:
                print(f"(a) {arguments.rows / asylon_seconds:,.0f} rows/s; {opened:,} values decrypt")
                return
            import_export_seconds = run_import_export(data, organisations[1], arguments.baseline_rows)
            if arguments.database_url:
                import psycopg

                factory, placeholder, vendor = (
                    (lambda: psycopg.connect(arguments.database_url, autocommit=True)),
                    "%s",
                    "PostgreSQL",
                )
            else:
                path = settings.DATABASES["default"]["NAME"]
                factory, placeholder, vendor = (
                    (lambda: sqlite3.connect(path, isolation_level=None)),
                    "?",
                    f"SQLite {sqlite3.sqlite_version}",
                )
            raw_seconds = run_executemany(factory, placeholder, organisations[0], organisations[2])
            counts = [written(organisation) for organisation in organisations]
            baseline_rows = min(arguments.baseline_rows or arguments.rows, arguments.rows)
            subset = {"Person": (baseline_rows + 1) // 2, "Case": (baseline_rows + 1) // 2, "Event": baseline_rows}
            if counts[0] != counts[2] or counts[1] != (subset if baseline_rows < arguments.rows else counts[0]):
                raise AssertionError(f"rows differ: {counts}")
            print(f"checked: persons, cases and events equal in (a) and (c) ({counts[0]}), (b) {counts[1]}")
            print(f"{opened:,} of Asylon's encrypted values decrypt")
            print(f"Asylon's report: created {report['create']}, duplicates {len(report['duplicates'])}")
            rows = arguments.rows
            print(f"\nImport of {rows:,} CSV rows ({vendor}):")
            for name, seconds in (
                ("(a) Asylon import (validate, encrypt, blind-index, identity, audit)", asylon_seconds),
                ("(b) django-import-export ModelResources", import_export_seconds),
                ("(c) raw executemany of the stored rows", raw_seconds),
            ):
                done = baseline_rows if name.startswith("(b)") else rows
                ratio = (seconds / done) / (asylon_seconds / rows)
                print(
                    f"  {name}: {done:,} rows in {seconds:,.1f} s, {done / seconds:,.0f} rows/s, "
                    f"{ratio:.2f}x (a) per row"
                )
            print(
                f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
                f"{datetime.date.today().isoformat()}; load average before (a) {load_before:.1f}, "
                f"after (c) {os.getloadavg()[0]:.1f}"
            )
        finally:
            connections.close_all()
            if arguments.database_url:
                import psycopg

                with psycopg.connect(arguments.database_url, autocommit=True) as cleanup:
                    cleanup.execute("DROP SCHEMA public CASCADE")
                    cleanup.execute("CREATE SCHEMA public")
            del connection
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
