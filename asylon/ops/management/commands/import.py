"""`asylon import FILE --organisation ORG --user EMAIL [--profile NAME | --map 'Header=target' ...] [--dry-run]
[--mode all|valid_only] [--day-first | --month-first] [--error-file PATH]`: import persons, cases and events.

The same services as the web pages (authorised as the user, audited, encrypted): upload, map, check,
then import unless --dry-run. Problems are printed as row, column and reason; the exit code is 1
when a check finds problems or an import in mode "all" writes nothing.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from asylon.accounts.models import Organisation, User
from asylon.ops.imports.sources import limits
from asylon.ops.imports.targets import TARGETS, suggested_mapping
from asylon.ops.imports.writing import KINDS
from asylon.ops.models import ImportMode, ImportProfile, ImportRun, ImportStatus
from asylon.ops.selectors import import_error_file, import_preview, import_report
from asylon.ops.services.imports import import_check, import_commit, import_discard, import_map, import_upload


class Command(BaseCommand):
    help = "Import persons, cases and events from a CSV or XLSX file (dry run with --dry-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument("--organisation", required=True, help="organisation id, slug or name")
        parser.add_argument("--user", required=True, help="email of the user the import is done as")
        parser.add_argument("--profile", default="", help="a saved mapping profile of the organisation")
        parser.add_argument(
            "--map", action="append", default=[], metavar="HEADER=TARGET", help="map a column (repeatable)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only: report problems, write nothing")
        parser.add_argument("--mode", choices=ImportMode.values, default=ImportMode.ALL)
        order = parser.add_mutually_exclusive_group()
        order.add_argument("--day-first", dest="date_order", action="store_const", const="day_first")
        order.add_argument("--month-first", dest="date_order", action="store_const", const="month_first")
        parser.add_argument("--error-file", default="", help="where to write the rejected rows (mode valid_only)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = _organisation(options["organisation"])
        actor = User.objects.filter(email__iexact=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {options['user']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        if path.stat().st_size > limits().upload_bytes:
            raise CommandError(f"{path} is larger than the import limit ({limits().upload_bytes:,} bytes).")
        try:
            run = import_upload(
                actor=actor, organisation=organisation, upload=SimpleUploadedFile(path.name, path.read_bytes())
            )
            run = import_map(
                actor=actor,
                run=run,
                mapping=self._mapping(actor, run, organisation, options),
                options={"date_order": options["date_order"] or "day_first"},
            )
            self._run(actor, run, options)
        except PermissionDenied as error:
            raise CommandError(f"{actor.email} may not import into {organisation.slug}.") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def _mapping(self, actor: User, run: ImportRun, organisation: Organisation, options: dict[str, Any]) -> dict:
        headers = import_preview(user=actor, run=run).headers
        if options["profile"]:
            profile = ImportProfile.objects.filter(organisation=organisation, name=options["profile"]).first()
            if profile is None:
                raise CommandError(f"No mapping profile {options['profile']!r} in {organisation.slug}.")
            mapping = {header: profile.mapping.get(header, "") for header in headers}
        else:
            mapping = suggested_mapping(headers)
        for item in options["map"]:
            header, separator, target = item.partition("=")
            if not separator or target not in {*TARGETS, ""}:
                raise CommandError(f"--map {item!r}: use 'Header=target' with a target among: {', '.join(TARGETS)}.")
            mapping[header.strip()] = target
        return mapping

    def _run(self, actor: User, run: ImportRun, options: dict[str, Any]) -> None:
        console = Console(stderr=True)
        with _bar(console, "Checking") as (progress, task):
            run = import_check(
                actor=actor, run=run, progress=lambda done, total: progress.update(task, completed=done, total=total)
            )
        report = import_report(user=actor, run=run)
        self._print_problems(report)
        if options["dry_run"]:
            self._print_counts(report)
            import_discard(actor=actor, run=run)
            if report["problems"]:
                raise CommandError(f"{len(report['problems'])} problems; nothing was written (dry run).")
            return
        with _bar(console, "Importing") as (progress, task):
            run = import_commit(
                actor=actor,
                run=run,
                mode=options["mode"],
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        report = import_report(user=actor, run=run)
        self._print_counts(report)
        if options["error_file"] and run.error_file_stored:
            Path(options["error_file"]).write_bytes(import_error_file(user=actor, run=run))
            self.stdout.write(f"Rejected rows written to {options['error_file']}.")
        if run.status != ImportStatus.DONE:
            raise CommandError(f"{len(report['problems'])} problems; nothing was written (mode all).")

    def _print_problems(self, report: dict[str, Any]) -> None:
        for problem in report["problems"]:
            self.stdout.write(f"row {problem['row']}, {problem['column']}: {problem['reason']}")

    def _print_counts(self, report: dict[str, Any]) -> None:
        for label in ("create", "update", "would_create", "would_update", "unchanged"):
            if label in report:
                counts = ", ".join(f"{kind} {report[label].get(kind, 0)}" for kind in KINDS)
                self.stdout.write(f"{label.replace('_', ' ')}: {counts}")
        if report["duplicates"]:
            self.stdout.write(f"possible duplicates: {len(report['duplicates'])}")


@contextlib.contextmanager
def _bar(console: Console, label: str) -> Iterator[tuple[Progress, Any]]:
    """A rich progress bar for one phase, yielding (progress, task)."""
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("rows"), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        yield progress, progress.add_task("import", total=None)


def _organisation(given: str) -> Organisation:
    found = Organisation.objects.filter(slug=given) | Organisation.objects.filter(name=given)
    with contextlib.suppress(ValueError):
        found = found | Organisation.objects.filter(pk=uuid.UUID(given))
    organisations = list(found.distinct()[:2])
    if len(organisations) != 1:
        raise CommandError(f"No single organisation {given!r} (give its id, slug or name).")
    return organisations[0]
