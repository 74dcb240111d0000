"""Reads of import runs and profiles for users who may import into the organisation.

A run's preview, report and error file quote the file's cells (personal data): reading them is
noted in the read audit like any personal record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from asylon.accounts.models import Organisation
from asylon.audit import reads
from asylon.ops.imports.files import ERRORS, UPLOAD, file_read
from asylon.ops.imports.progress import progress_get
from asylon.ops.imports.sources import table_read
from asylon.ops.imports.targets import suggested_mapping
from asylon.ops.models import ImportProfile, ImportRun

PREVIEW_ROWS = 5


@dataclass(frozen=True)
class Preview:
    headers: list[str]
    sample_rows: list[list[str]]
    suggested_mapping: dict[str, str]


def _may_import(user: Any, organisation: Organisation) -> bool:
    return bool(user.is_authenticated and user.has_perm("ops.import_records", organisation))


def import_runs_of(*, user: Any, organisation: Organisation) -> QuerySet[ImportRun]:
    """The organisation's import runs, newest first (none for a user who may not import there)."""
    if not _may_import(user, organisation):
        return ImportRun.objects.none()
    return ImportRun.objects.filter(organisation=organisation).select_related("profile").order_by("-created_at")


def import_run_get(*, user: Any, run_id: Any) -> ImportRun:
    """One import run (ImportRun.DoesNotExist if the user may not import into its organisation)."""
    run = ImportRun.objects.select_related("organisation", "profile").get(pk=run_id)
    if not _may_import(user, run.organisation):
        raise ImportRun.DoesNotExist
    return run


def import_profiles_of(*, user: Any, organisation: Organisation) -> QuerySet[ImportProfile]:
    """The organisation's saved mapping profiles, by name."""
    if not _may_import(user, organisation):
        return ImportProfile.objects.none()
    return ImportProfile.objects.filter(organisation=organisation).order_by("name")


def import_preview(*, user: Any, run: ImportRun) -> Preview:
    """The file's headers, its first rows (for the mapping page only) and a mapping suggested from the headers."""
    run = import_run_get(user=user, run_id=run.pk)
    if not run.file_stored:
        return Preview(headers=list(run.mapping), sample_rows=[], suggested_mapping=dict(run.mapping))
    table = table_read(file_read(run, UPLOAD), run.file_format)
    reads.shown(run)
    samples = [["" if cell is None else str(cell) for cell in row] for row in table.rows[:PREVIEW_ROWS]]
    suggested = dict(run.mapping) if any(run.mapping.values()) else suggested_mapping(table.headers)
    return Preview(headers=table.headers, sample_rows=samples, suggested_mapping=suggested)


def import_report(*, user: Any, run: ImportRun) -> dict[str, Any]:
    """The run's report, decrypted ({} before the first check)."""
    run = import_run_get(user=user, run_id=run.pk)
    reads.shown(run)
    return dict(run.report or {})


def import_error_file(*, user: Any, run: ImportRun) -> bytes:
    """The CSV of the rows a "valid rows only" import rejected, with a reason column (b"" if there is none)."""
    run = import_run_get(user=user, run_id=run.pk)
    if not run.error_file_stored:
        return b""
    reads.shown(run)
    return file_read(run, ERRORS)


def import_progress(*, run: ImportRun) -> tuple[int, int]:
    """(rows done, rows in total) of a check or import, readable while its transaction is still open."""
    found = progress_get(run.pk)
    if found is not None:
        return found
    return run.rows_done, run.rows_total
