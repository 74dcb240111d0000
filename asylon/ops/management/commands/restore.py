"""`asylon restore`: verify a backup completely, then restore it into an empty data directory and database.

Run it as `asylon restore`, which lays out the new data directory and its secret key first.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress

from asylon.ops.backup import archive
from asylon.ops.backup.console import COLUMNS, ProgressBars
from asylon.ops.backup.restore import RestoreIncomplete, RestoreRefused, backup_restore
from asylon.ops.backup.snapshot import SnapshotError

PIPED_WIDTH = 120


class Command(BaseCommand):
    help = "Restore an age-encrypted backup into an empty data directory and an empty database."
    requires_system_checks: list[str] = []  # nothing may touch the (empty) database before the checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, metavar="FILE")
        opening = parser.add_mutually_exclusive_group(required=True)
        opening.add_argument(
            "--identity", action="append", type=Path, metavar="AGE_IDENTITY_FILE", help="age identity file"
        )
        opening.add_argument("--passphrase-file", type=Path, help="file holding the backup's passphrase")
        parser.add_argument(
            "--keys-identity",
            action="append",
            type=Path,
            default=[],
            metavar="AGE_IDENTITY_FILE",
            help="key-custody identity file that opens the keysets in the backup, or the --keys-export file",
        )
        parser.add_argument(
            "--keys-export",
            type=Path,
            metavar="FILE",
            help="take the keysets from this `asylon keys export` file (for a backup made --without-keys)",
        )
        parser.add_argument(
            "--keys-passphrase-file", type=Path, help="file holding the passphrase of a passphrase --keys-export"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.ending = ""
        console = Console(file=cast(IO[str], self.stdout), highlight=False)
        if not console.is_terminal:
            console.width = PIPED_WIDTH
        try:
            identities = [
                identity for path in options["identity"] or [] for identity in archive.identities_from_file(path)
            ]
            passphrase = (
                archive.passphrase_from_file(options["passphrase_file"]) if options["passphrase_file"] else None
            )
            keys_identities = [
                identity for path in options["keys_identity"] for identity in archive.identities_from_file(path)
            ]
            keys_passphrase = (
                archive.passphrase_from_file(options["keys_passphrase_file"])
                if options["keys_passphrase_file"]
                else None
            )
            if options["keys_export"] is None and keys_passphrase is not None:
                raise CommandError("--keys-passphrase-file opens a --keys-export file: give that too.")
            if options["keys_export"] is not None and not (keys_identities or keys_passphrase):
                raise CommandError(
                    "Say what opens the --keys-export file: --keys-identity (a trustee's identity) "
                    "or --keys-passphrase-file."
                )
            with Progress(*COLUMNS, console=console) as progress:
                report = backup_restore(
                    backup=options["backup"],
                    identities=identities,
                    passphrase=passphrase,
                    keys_identities=keys_identities,
                    progress=ProgressBars(progress),
                    keys_export=options["keys_export"],
                    keys_passphrase=keys_passphrase,
                )
        except (archive.ArchiveError, RestoreRefused, RestoreIncomplete, SnapshotError) as error:
            raise CommandError(str(error)) from error
        manifest = report.manifest
        summary = manifest.summary()
        console.print(
            f"Restored the backup of {manifest.created_at} (Asylon {manifest.asylon_version}): {summary['rows']} rows "
            f"in {summary['tables']} tables, {summary['media_files']} media files, {summary['checkpoints']} "
            "checkpoints; every member matched its SHA-256."
        )
        if report.keys_restored and options["keys_export"] is not None:
            console.print(
                f"Keysets restored from the key export ({report.keys_restored} files); they open with the master "
                "key given."
            )
        elif report.keys_restored:
            console.print(f"Keysets restored ({report.keys_restored} files); they open with the master key given.")
        elif manifest.keys_included:
            console.print("[bold]Keysets not restored[/]: pass --keys-identity, or copy keys/ from key custody.")
        else:
            console.print(
                "[bold]This backup holds no keysets[/]: restore them from key custody with --keys-export "
                "(docs/keys.md, 'Recovery after losing the server')."
            )
        if report.unknown_migrations:
            raise CommandError(
                f"The backup comes from a newer Asylon: its database has migrations this version does not know "
                f"({', '.join(report.unknown_migrations[:5])}). Install that version, then start."
            )
        if report.pending_migrations:
            console.print(
                f"[bold]Migrations check:[/] the backup predates this version; {len(report.pending_migrations)} "
                "migrations to apply: run `asylon migrate` before starting."
            )
        else:
            console.print("Migrations check: the database is at this version's migration state.")
