"""`asylon synth --persons N --seed S [--organisation SLUG]`: write synthetic, clearly fictional cases."""

from __future__ import annotations

import io
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from asylon.accounts.models import Organisation
from asylon.ops.synth import MissingTerm, SeedAlreadyUsed, SynthSummary, synthesise
from asylon.ops.synth.access import case_access_grant


class Command(BaseCommand):
    help = "Write synthetic persons with cases, events, decisions and statuses into an organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=1000, help="how many persons (each with a case)")
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")
        parser.add_argument("--organisation", default="", help="organisation slug (default: the first one)")

    def handle(self, *args: Any, **options: Any) -> None:
        persons, seed = options["persons"], options["seed"]
        if persons < 1:
            raise CommandError("--persons must be at least 1.")
        organisation = organisation_named(options["organisation"])
        started = time.perf_counter()
        progress = Progress(
            TextColumn("Synthesising"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("persons"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        with progress:
            task = progress.add_task("synth", total=persons)
            try:
                summary = synthesise(
                    organisation=organisation,
                    persons=persons,
                    seed=seed,
                    progress=lambda done, _total: progress.update(task, completed=done),
                )
            except (SeedAlreadyUsed, MissingTerm) as error:
                raise CommandError(str(error)) from error
        summary.counts.update(case_access_grant(organisation=organisation, seed=seed))
        with connection.cursor() as cursor:
            # After a bulk load the query planner's statistics describe the empty tables it started
            # from; PostgreSQL's autovacuum catches up later, and until then lists are slow.
            cursor.execute("ANALYZE")
        title = f"Synthetic data for {organisation.slug} (seed {seed})"
        self.stdout.write(summary_table(summary, title=title, seconds=time.perf_counter() - started))


def organisation_named(slug: str) -> Organisation:
    """The organisation with this slug, or the first one created when no slug is given."""
    organisations = Organisation.objects.order_by("created_at")
    organisation = organisations.filter(slug=slug).first() if slug else organisations.first()
    if organisation is None:
        raise CommandError(f"No organisation {slug!r}." if slug else "No organisation yet: run `asylon quickstart`.")
    return organisation


def summary_table(summary: SynthSummary, *, title: str, seconds: float) -> str:
    """The rows written per model and the elapsed time, as a rich table rendered to text."""
    table = Table(title=title)
    table.add_column("model")
    table.add_column("rows", justify="right")
    for label, count in sorted(summary.counts.items()):
        table.add_row(label, f"{count:,}")
    table.add_row("total", f"{summary.rows:,}", style="bold")
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, color_system=None)
    console.print(table)
    rate = summary.rows / seconds if seconds else 0.0
    console.print(f"{summary.persons:,} persons in {seconds:.1f} s ({rate:,.0f} rows/s)")
    return buffer.getvalue().rstrip("\n")
