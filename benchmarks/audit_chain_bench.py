"""Audit chain benchmark (issue 3): `record_many` (hash-chained, one lock per batch) against a plain
`bulk_create` of the same entries with their chain fields filled by a counter instead of hashes.

In one run, on a fresh database:

(a) Baseline: N AuditEntry rows built as `record_many` builds them, with `sequence` from a counter
    and constant hash fields, written with `bulk_create` in batches of 10,000: Django's own cost of
    writing audit rows, without chaining.
(b) Asylon: `record_many` over the same targets in batches of 10,000: canonical JSON and SHA-256
    per entry, the chain-head lock per batch.

It asserts both wrote N rows, that (b)'s sequences run without gaps after (a)'s and that the whole
chain verifies (`verify_chain`, timed too), then prints both times, rows per second and the ratio.

    .venv/bin/python benchmarks/audit_chain_bench.py                  # SQLite in a temporary data directory
    .venv/bin/python benchmarks/audit_chain_bench.py --entries 20000  # a quick run
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE bench_audit'
    .venv/bin/python benchmarks/audit_chain_bench.py --database-url postgresql://postgres@127.0.0.1:5432/bench_audit
    psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE bench_audit'
"""

from __future__ import annotations

import argparse
import shutil
import time
import uuid
from pathlib import Path

from bench_environment import benchmark_environment

BATCH = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--database-url", default="")
    arguments = parser.parse_args()

    data_dir = Path(
        benchmark_environment(data_dir="", database_url=arguments.database_url, prefix="asylon-audit-bench-")
    )
    try:
        run(arguments.entries)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(count: int) -> None:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import setup_databases, teardown_databases

    from asylon.accounts.models import Organisation
    from asylon.audit.models import AuditEntry
    from asylon.audit.services import _entry, record_many
    from asylon.audit.verify import verify_chain
    from asylon.cases.models import Case

    databases = setup_databases(verbosity=0, interactive=False)
    try:
        organisation = Organisation.objects.create(name="Benchmark", slug="benchmark")
        targets = [Case(pk=uuid.uuid4(), organisation=organisation) for _ in range(count)]
        start_sequence = AuditEntry.objects.count()

        began = time.perf_counter()
        for offset in range(0, count, BATCH):
            with transaction.atomic():
                entries = [
                    _entry(
                        actor=None,
                        action="bench.baseline",
                        target=target,
                        organisation=organisation,
                        changed_fields=(),
                        details=None,
                        remote_address=None,
                    )
                    for target in targets[offset : offset + BATCH]
                ]
                for number, entry in enumerate(entries, start=start_sequence + offset + 1):
                    entry.sequence, entry.previous_hash, entry.entry_hash = number, "0" * 64, "0" * 64
                AuditEntry.objects.bulk_create(entries, batch_size=2000)
        baseline = time.perf_counter() - began
        assert AuditEntry.objects.filter(action="bench.baseline").count() == count
        # The baseline rows are not chained: drop them so that (b) starts a chain of its own.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry WHERE action = 'bench.baseline'")

        began = time.perf_counter()
        for offset in range(0, count, BATCH):
            with transaction.atomic():
                record_many(
                    actor=None,
                    action="bench.chained",
                    targets=targets[offset : offset + BATCH],
                    organisation=organisation,
                )
        chained = time.perf_counter() - began
        sequences = AuditEntry.objects.filter(action="bench.chained").order_by("sequence")
        assert sequences.count() == count

        began = time.perf_counter()
        result = verify_chain(public_keys=[])
        verification = time.perf_counter() - began
        assert result.ok, result.findings[:5]
    finally:
        teardown_databases(databases, verbosity=0)

    print(f"database: {connection.vendor}, entries: {count:,}")
    print(f"(a) baseline bulk_create, unchained : {baseline:8.2f} s  {count / baseline:10,.0f} rows/s")
    print(f"(b) record_many, hash-chained       : {chained:8.2f} s  {count / chained:10,.0f} rows/s")
    print(f"ratio (b)/(a)                       : {chained / baseline:8.2f}")
    print(f"verify_chain over {result.entries:,} entries   : {verification:8.2f} s")


if __name__ == "__main__":
    main()
