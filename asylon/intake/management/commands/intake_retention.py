"""`asylon intake_retention [--dry-run]`: delete untriaged submissions past their retention period now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from asylon.intake.services.retention import purge


class Command(BaseCommand):
    help = (
        "Delete untriaged intake submissions older than each organisation's intake retention period "
        "(with --dry-run: only report how many would be deleted)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report what would be deleted; delete nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = purge(dry_run=options["dry_run"])
        for line in report.lines():
            self.stdout.write(line)
