"""Running a check (dry run) or an import of a run's file: read, parse, write in batches, report.

A dry run writes exactly as the import would, inside a transaction that is always rolled back, so
its counts and duplicate candidates are the import's own (and nothing is kept; no audit entries
are appended for it). An import in mode "all" writes nothing when any row has a problem; in mode
"valid_only" it writes the valid rows and keeps the rejected ones as an error file. Either way the
writing is one transaction, so a failure half-way leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from asylon.common.collector import batch_collected, collector_paused
from asylon.ops.imports.error_file import error_file_bytes
from asylon.ops.imports.files import ERRORS, UPLOAD, file_read, file_write
from asylon.ops.imports.identity import dates_memoised
from asylon.ops.imports.mapping import mapping_checked
from asylon.ops.imports.report import report_of
from asylon.ops.imports.sources import SourceError, table_read
from asylon.ops.imports.validation import ParsedRow, RowParser
from asylon.ops.imports.writing import BatchWriter, Tally
from asylon.ops.models import ImportMode, ImportRun
from asylon.ops.synth.writer import sqlite_tuned_for_bulk
from asylon.people.lookups import name_digests_memoised

BATCH_ROWS = 2000
Progress = Callable[[int, int], None]


class _RolledBack(Exception):
    """Ends the writing transaction of a dry run, or of an "all" import that met a refused row."""


@dataclass
class Outcome:
    report: dict[str, Any]
    written: bool
    error_file: bytes | None = None


def _batches(rows: Sequence[ParsedRow]) -> Iterator[Sequence[ParsedRow]]:
    for start in range(0, len(rows), BATCH_ROWS):
        yield rows[start : start + BATCH_ROWS]


def import_execute(*, run: ImportRun, actor: Any, dry_run: bool, progress: Progress) -> Outcome:
    """Check or import the run's file under its mapping and options; nothing is written in a dry run."""
    with collector_paused():
        return _execute(run=run, actor=actor, dry_run=dry_run, progress=progress)


def _execute(*, run: ImportRun, actor: Any, dry_run: bool, progress: Progress) -> Outcome:
    try:
        table = table_read(file_read(run, UPLOAD), run.file_format)
    except SourceError as error:
        report = report_of(rows=[], tally=None, dry_run=dry_run, written=False, file_problem=" ".join(error.messages))
        return Outcome(report=report, written=False)
    mapping = mapping_checked(table.headers, run.mapping)
    parser = RowParser(
        headers=table.headers,
        mapping=mapping,
        organisation=run.organisation,
        day_first=run.options.get("date_order", "day_first") == "day_first",
    )
    rows = [parser.parse(number, cells) for number, cells in enumerate(table.rows, start=2)]
    batch_collected()
    valid = [row for row in rows if not row.problems]
    total = len(rows)
    progress(total - len(valid), total)
    all_or_nothing = run.mode == ImportMode.ALL
    if not dry_run and all_or_nothing and len(valid) < total:
        return Outcome(report=report_of(rows=rows, tally=None, dry_run=False, written=False), written=False)

    writer = BatchWriter(
        organisation=run.organisation,
        actor=actor,
        run_id=run.pk,
        dry_run=dry_run,
        case_header=parser.header_of.get("case.reference", ""),
        name_header=parser.header_of.get("person.family_name") or parser.header_of.get("person.given_name", ""),
    )
    written = _write(writer, valid, dry_run=dry_run, all_or_nothing=all_or_nothing, progress=progress, total=total)
    tally = writer.tally
    report = report_of(rows=rows, tally=tally, dry_run=dry_run, written=written)
    error_file = None
    if written and not all_or_nothing:
        error_file = error_file_bytes(table.headers, _rejected(rows, tally))
    return Outcome(report=report, written=written, error_file=error_file)


def _write(
    writer: BatchWriter,
    valid: list[ParsedRow],
    *,
    dry_run: bool,
    all_or_nothing: bool,
    progress: Progress,
    total: int,
) -> bool:
    done = total - len(valid)
    try:
        with sqlite_tuned_for_bulk(), name_digests_memoised(), dates_memoised(), transaction.atomic():
            with writer.pipelined():
                for batch in _batches(valid):
                    writer.write(batch)
                    batch_collected()
                    done += len(batch)
                    progress(done, total)
                writer.flush()
            if dry_run or (all_or_nothing and writer.tally.refused):
                raise _RolledBack
    except _RolledBack:
        return False
    return True


def _rejected(rows: list[ParsedRow], tally: Tally) -> list[tuple[ParsedRow, list[str]]]:
    reasons: dict[int, list[str]] = {}
    by_number = {row.number: row for row in rows}
    for row in rows:
        for column, reason in row.problems:
            reasons.setdefault(row.number, []).append(f"{column}: {reason}")
    for row, column, reason in tally.refused:
        reasons.setdefault(row.number, []).append(f"{column}: {reason}")
    return [(by_number[number], reasons[number]) for number in sorted(reasons)]


def error_file_store(run: ImportRun, data: bytes) -> None:
    """Keep a run's error file, encrypted like its upload."""
    file_write(run, ERRORS, data)
