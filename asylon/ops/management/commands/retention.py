"""`asylon retention [--dry-run]`: erase closed cases past each organisation's retention period and delete
untriaged intake past its own, now; with --dry-run only report what would go (docs/gdpr.md, "Retention")."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.table import Table

from asylon.ops.retention.running import RetentionRun, retention_run

PIPED_WIDTH = 120  # rich would wrap the table at 80 columns in logs and pipes


class Command(BaseCommand):
    help = (
        "Erase closed cases older than each organisation's retention period (with the persons party to no "
        "other case) and delete untriaged intake submissions past theirs; --dry-run only reports."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report what would be erased; erase nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.ending = ""  # rich writes partial lines; Django's wrapper would end each with a newline
        console = Console(file=cast(IO[str], self.stdout), highlight=False, width=PIPED_WIDTH)
        run = retention_run(dry_run=options["dry_run"])
        for table in self.tables(run):
            console.print(table)
        if run.dry_run:
            console.print(
                f"Would erase {run.cases} closed cases with {run.persons} persons, and would delete "
                f"{run.submissions} untriaged intake submissions."
            )
        else:
            console.print(
                f"Erased {run.erased_cases} closed cases with {run.erased_persons} persons, and deleted "
                f"{run.submissions} untriaged intake submissions."
            )
        undated = sum(plan.undated for plan in run.closed)
        if undated:
            console.print(
                f"{undated} closed cases have no closing date and are never erased by the schedule: "
                "give them one on the case page."
            )
        if run.failed:
            console.print(f"[bold red]{run.failed} cases could not be erased; the next run tries them again.[/]")

    def tables(self, run: RetentionRun) -> list[Table]:
        """One table for closed cases, one for untriaged intake; an organisation's short name never cut."""
        suffix = " (dry run: nothing erased)" if run.dry_run else ""
        closed = Table(
            title=f"Closed cases past their retention period{suffix}", caption=f"as of {run.now:%Y-%m-%d %H:%M} UTC"
        )
        closed.add_column("organisation", no_wrap=True)
        closed.add_column("kept (days)", justify="right")
        closed.add_column("closed before")
        for heading in ("cases", "persons", "documents", "no closing date"):
            closed.add_column(heading, justify="right")
        for plan in run.closed:
            cases = plan.cases if run.dry_run else plan.erased_cases
            persons = plan.persons if run.dry_run else plan.erased_persons
            closed.add_row(
                plan.slug,
                str(plan.retention_days),
                plan.cutoff.isoformat(),
                str(cases),
                str(persons),
                str(plan.documents),
                str(plan.undated),
            )
        intake = Table(title=f"Untriaged intake past its retention period{suffix}")
        intake.add_column("organisation", no_wrap=True)
        intake.add_column("kept (days)", justify="right")
        for heading in ("submissions", "messages", "files"):
            intake.add_column(heading, justify="right")
        for purge in run.intake:
            intake.add_row(
                purge.slug, str(purge.retention_days), str(purge.submissions), str(purge.messages), str(purge.files)
            )
        for table in (closed, intake):
            if not table.rows:
                table.add_row("(none)", *[""] * (len(table.columns) - 1))
        return [closed, intake]
