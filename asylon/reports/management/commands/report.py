"""`asylon report SOURCE --user EMAIL --output PATH [--format pdf|docx|md|html]`: build a report.

SOURCE is a Markdown file with figure directives, or the short name of a report saved in the
organisation. The figures are released as the user given (who needs the statistics permission),
through disclosure control like every figure in the app, and the release is audited.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from asylon.accounts.models import Organisation, User
from asylon.ops.management.commands.synth import organisation_named
from asylon.reports.downloads import FORMATS, report_file
from asylon.reports.models import Report
from asylon.reports.selectors.reports import READ
from asylon.reports.services.reports import build

HEADING = re.compile(r"#\s+(.+?)\s*#*\s*$")
MAX_SOURCE_BYTES = 2_000_000


def title_and_body(text: str, *, default: str) -> tuple[str, str]:
    """A Markdown file's title (its first line when that is a level-1 heading) and the text after it:
    the engine writes the title itself, so the heading would otherwise appear twice."""
    first, _newline, rest = text.lstrip("\ufeff").partition("\n")
    heading = HEADING.match(first)
    return (heading.group(1), rest.lstrip("\n")) if heading else (default, text)


def source_report(source: str, organisation: Organisation) -> Report:
    """The report to build: a Markdown file (unsaved, titled by its first heading) or a saved report's short name."""
    path = Path(source)
    if path.suffix.lower() in (".md", ".markdown", ".txt") or path.exists():
        if not path.is_file():
            raise CommandError(f"No such file: {source}")
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise CommandError(f"{source} is larger than {MAX_SOURCE_BYTES:,} bytes.")
        try:
            body = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise CommandError(f"{source} is not UTF-8 text: {error.reason} at byte {error.start}.") from error
        title, body = title_and_body(body, default=path.stem)
        return Report(organisation=organisation, title=title, slug=path.stem, body=body)
    report = Report.objects.filter(organisation=organisation, slug=source).first()
    if report is None:
        raise CommandError(f"No file {source!r} and no saved report with that short name in {organisation.slug}.")
    return report


def output_format(requested: str | None, output: str) -> str:
    """The format asked for, else the output file's extension (Markdown on standard output)."""
    extension = requested or ("md" if output == "-" else Path(output).suffix.lstrip(".").lower())
    if extension == "markdown":
        extension = "md"
    if extension not in FORMATS:
        raise CommandError(f"Give --format, one of {', '.join(FORMATS)} (or an --output ending in one of them).")
    return extension


def parse_as_of(text: str | None) -> datetime.datetime | None:
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            f"--as-of must be an ISO date and time, for example 2025-01-31T00:00:00+00:00: {error}"
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


class Command(BaseCommand):
    help = (
        "Build a report (a Markdown file with figure directives, or a saved report) into HTML, PDF, DOCX or Markdown."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="a Markdown file, or the short name of a saved report")
        parser.add_argument("--output", "-o", required=True, help="the file to write ('-' for standard output)")
        parser.add_argument("--format", "-f", choices=sorted(FORMATS), help="default: the output file's extension")
        parser.add_argument("--user", required=True, help="e-mail of the staff user the figures are released to")
        parser.add_argument("--organisation", default="", help="organisation slug (default: the first one)")
        parser.add_argument("--as-of", default="", help="the as-of time the footnotes state (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"]
        extension = output_format(options["format"], output)
        if output == "-" and extension in ("pdf", "docx"):
            raise CommandError(f"A {extension.upper()} file needs --output PATH, not standard output.")
        as_of = parse_as_of(options["as_of"])
        organisation = organisation_named(options["organisation"])
        actor = User.objects.filter(email__iexact=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {options['user']!r}.")
        if not actor.has_perm(READ, organisation):
            raise CommandError(f"{actor.email} may not read statistics of {organisation.slug}.")
        report = source_report(options["source"], organisation)
        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        with progress:
            task = progress.add_task("Building figures", total=3)
            try:
                built = build(actor=actor, report=report, as_of=as_of)
            except ValidationError as error:
                progress.stop()
                raise CommandError("The report cannot be built:\n  " + "\n  ".join(error.messages)) from error
            except PermissionDenied as error:
                raise CommandError(f"{actor.email} may not read statistics of {organisation.slug}.") from error
            progress.update(task, advance=1, description=f"Rendering {extension.upper()}")
            content = report_file(built, extension)
            progress.update(task, advance=1, description="Writing")
            self.write(content, output)
            progress.update(task, advance=1, description="Done")
        figures = len(getattr(built, "figures", ()))
        where = "standard output" if output == "-" else output
        self.stderr.write(
            f"{report.title}: {figures} figures, {len(content):,} bytes of {extension.upper()} to {where}."
        )

    def write(self, content: bytes, output: str) -> None:
        if output == "-":
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"No such directory: {path.parent}")
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from error
