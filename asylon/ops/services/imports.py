"""Import runs: upload, map, check (dry run), import, discard. Every step is authorised and audited.

The check and the import run as huey tasks (`import_check_start`, `import_commit_start`); the
tasks and the `asylon import` command call `import_check` and `import_commit`, which do the work.
The uploaded file is kept encrypted until the run is imported, fails or is discarded.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asylon.accounts.models import Organisation
from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.ops.imports.files import ERRORS, UPLOAD, file_delete, file_read, file_write
from asylon.ops.imports.mapping import mapping_checked, options_checked
from asylon.ops.imports.progress import progress_clear, progress_set
from asylon.ops.imports.report import counts_of
from asylon.ops.imports.running import Outcome, error_file_store, import_execute
from asylon.ops.imports.sources import SourceError, file_format_of, limits, table_read
from asylon.ops.models import ImportMode, ImportProfile, ImportRun, ImportStatus

ENDED = (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.DISCARDED)
MAPPABLE = (ImportStatus.UPLOADED, ImportStatus.CHECKED)


def _still_open(run: ImportRun, allowed: tuple[str, ...]) -> None:
    if run.status not in allowed:
        raise ValidationError(
            {"status": _("This import is %(status)s; it cannot do that now.") % {"status": run.get_status_display()}}
        )


@transaction.atomic
def import_upload(*, actor: Any, organisation: Organisation, upload: UploadedFile) -> ImportRun:
    """Store an uploaded CSV or XLSX file (encrypted) as a new import run, after checking it reads as a table."""
    require(actor, "ops.import_records", organisation)
    within = limits()
    if upload.size is not None and upload.size > within.upload_bytes:
        raise ValidationError(
            {"upload": _("The file is larger than %(megabytes)s MB.") % {"megabytes": within.upload_bytes // 2**20}}
        )
    data = upload.read(within.upload_bytes + 1)
    name = upload.name or ""
    try:
        file_format = file_format_of(name, data)
        table = table_read(data, file_format, within=within)
    except SourceError as error:
        raise ValidationError({"upload": error.messages}) from error
    run = ImportRun(
        organisation=organisation,
        actor=actor,
        file_name=name[:255],
        file_format=file_format,
        file_size=len(data),
        rows_total=len(table.rows),
        file_stored=True,
    )
    run.save()
    file_write(run, UPLOAD, data)
    audit.record(
        actor=actor,
        action="import.upload",
        target=run,
        details={"format": file_format, "bytes": len(data), "rows": len(table.rows), "columns": len(table.headers)},
    )
    return run


@transaction.atomic
def import_map(
    *, actor: Any, run: ImportRun, mapping: dict[str, str], options: dict[str, Any], save_profile_as: str = ""
) -> ImportRun:
    """Set the run's column mapping and options; optionally save them as a named profile."""
    require(actor, "ops.import_records", run.organisation)
    _still_open(run, MAPPABLE)
    headers = table_read(file_read(run, UPLOAD), run.file_format).headers
    run.mapping = mapping_checked(headers, mapping)
    run.options = options_checked(options)
    profile_name = save_profile_as.strip()
    if profile_name:
        if len(profile_name) > ImportProfile._meta.get_field("name").max_length:  # type: ignore[operator]
            raise ValidationError({"save_profile_as": _("A profile name has at most 100 characters.")})
        profile, created = ImportProfile.objects.update_or_create(
            organisation=run.organisation,
            name=profile_name,
            defaults={"mapping": {k: v for k, v in run.mapping.items() if v}, "options": run.options},
            create_defaults={
                "mapping": {k: v for k, v in run.mapping.items() if v},
                "options": run.options,
                "created_by": actor,
            },
        )
        run.profile = profile
        audit.record(actor=actor, action="import.profile_save" if created else "import.profile_update", target=profile)
    run.status = ImportStatus.UPLOADED
    run.save(update_fields=["mapping", "options", "profile", "status", "updated_at"])
    audit.record(
        actor=actor, action="import.map", target=run, details={"targets": sorted(v for v in run.mapping.values() if v)}
    )
    return run


def _mapped(run: ImportRun) -> None:
    if not any(run.mapping.values()):
        raise ValidationError({"mapping": _("Map the columns first.")})


@transaction.atomic
def import_check_start(*, actor: Any, run: ImportRun) -> ImportRun:
    """Queue the dry run of a mapped run (a huey task; immediate in tests)."""
    require(actor, "ops.import_records", run.organisation)
    _still_open(run, MAPPABLE)
    _mapped(run)
    run.status = ImportStatus.CHECKING
    run.save(update_fields=["status", "updated_at"])
    from asylon.ops.tasks import import_check_task

    transaction.on_commit(lambda: import_check_task(str(run.pk), str(actor.pk)))
    return run


@transaction.atomic
def import_commit_start(*, actor: Any, run: ImportRun, mode: str) -> ImportRun:
    """Queue the import of a checked run in mode "all" (all or nothing) or "valid_only"."""
    require(actor, "ops.import_records", run.organisation)
    _still_open(run, (ImportStatus.CHECKED,))
    if mode not in ImportMode.values:
        raise ValidationError({"mode": _("Choose all rows or valid rows only.")})
    run.mode = mode
    run.status = ImportStatus.IMPORTING
    run.save(update_fields=["mode", "status", "updated_at"])
    from asylon.ops.tasks import import_commit_task

    transaction.on_commit(lambda: import_commit_task(str(run.pk), str(actor.pk)))
    return run


def _progress(run: ImportRun, callback: Any) -> Any:
    def report(done: int, total: int) -> None:
        progress_set(run.pk, done, total)
        if callback is not None:
            callback(done, total)

    return report


def import_check(*, actor: Any, run: ImportRun, progress: Any = None) -> ImportRun:
    """Run the dry run now: every problem by row and column, what would be created, updated, unchanged."""
    require(actor, "ops.import_records", run.organisation)
    _still_open(run, (*MAPPABLE, ImportStatus.CHECKING))
    _mapped(run)
    outcome = import_execute(run=run, actor=actor, dry_run=True, progress=_progress(run, progress))
    with transaction.atomic():
        run.status = ImportStatus.CHECKED
        _finish(run, outcome, checked=True)
        audit.record(actor=actor, action="import.check", target=run, details=run.counts)
    progress_clear(run.pk)
    return run


def import_commit(*, actor: Any, run: ImportRun, mode: str, progress: Any = None) -> ImportRun:
    """Import the run now in mode "all" or "valid_only"; the file is deleted afterwards."""
    require(actor, "ops.import_records", run.organisation)
    _still_open(run, (ImportStatus.CHECKED, ImportStatus.IMPORTING))
    if mode not in ImportMode.values:
        raise ValidationError({"mode": _("Choose all rows or valid rows only.")})
    run.mode = mode
    try:
        outcome = import_execute(run=run, actor=actor, dry_run=False, progress=_progress(run, progress))
    except Exception:
        run.status = ImportStatus.FAILED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at", "updated_at"])
        raise
    with transaction.atomic():
        run.status = ImportStatus.DONE if outcome.written else ImportStatus.FAILED
        if outcome.error_file is not None and outcome.report["problems"]:
            error_file_store(run, outcome.error_file)
            run.error_file_stored = True
        _finish(run, outcome, checked=False)
        file_delete(run, UPLOAD)
        run.file_stored = False
        run.finished_at = timezone.now()
        run.save(update_fields=["file_stored", "finished_at", "error_file_stored"])
        audit.record(actor=actor, action="import.commit", target=run, details={"mode": mode, **run.counts})
    progress_clear(run.pk)
    return run


def _finish(run: ImportRun, outcome: Outcome, *, checked: bool) -> None:
    run.report = outcome.report
    run.counts = counts_of(outcome.report)
    run.rows_total = outcome.report["rows"]
    run.rows_done = outcome.report["rows"] if outcome.written or checked else 0
    if checked:
        run.checked_at = timezone.now()
    run.save()


@transaction.atomic
def import_discard(*, actor: Any, run: ImportRun) -> ImportRun:
    """End a run that will not be imported, or one whose worker stopped (or clear a finished one): its
    file and error file are deleted."""
    require(actor, "ops.import_records", run.organisation)
    if run.running and not run.stalled:
        raise ValidationError({"status": _("This import is running; wait until it ends.")})
    progress_clear(run.pk)
    file_delete(run, UPLOAD)
    file_delete(run, ERRORS)
    run.file_stored = run.error_file_stored = False
    if run.status not in (ImportStatus.DONE, ImportStatus.FAILED):
        run.status = ImportStatus.DISCARDED
    run.finished_at = run.finished_at or timezone.now()
    run.save()
    audit.record(actor=actor, action="import.discard", target=run)
    return run
