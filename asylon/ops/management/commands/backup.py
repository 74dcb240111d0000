"""`asylon backup`: an encrypted, verifiable backup of the database, media files and audit checkpoints.

See docs/security/backups.md for what a backup holds and who can open which part.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress

from asylon.common.crypto.rotation import KeyOperationRunning
from asylon.ops.backup import archive
from asylon.ops.backup.console import COLUMNS, ProgressBars
from asylon.ops.backup.create import BackupRefused, backup_create, check_recipients, default_output
from asylon.ops.backup.snapshot import SnapshotError

PIPED_WIDTH = 120


class Command(BaseCommand):
    help = "Write an age-encrypted backup: database snapshot, media files, audit checkpoints, manifest; keys apart."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            metavar="AGE_PUBLIC_KEY",
            help="age X25519 public key (age1…) that may open the backup; repeat for several",
        )
        parser.add_argument("--passphrase-file", type=Path, help="encrypt to the passphrase in this file instead")
        parser.add_argument(
            "--keys-recipient",
            action="append",
            default=[],
            metavar="AGE_PUBLIC_KEY",
            help="key-custody public key the keysets are encrypted to, separately from the data",
        )
        parser.add_argument("--without-keys", action="store_true", help="leave the keysets out of the backup")
        parser.add_argument(
            "--keys-to-data-recipients",
            action="store_true",
            help="allow a --keys-recipient that is also a data --recipient (then one identity opens everything)",
        )
        parser.add_argument("--output", type=Path, help="backup file (default: DATA_DIR/backups/asylon-backup-…age)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.ending = ""
        console = Console(file=cast(IO[str], self.stdout), highlight=False)
        if not console.is_terminal:
            console.width = PIPED_WIDTH
        try:
            passphrase = (
                archive.passphrase_from_file(options["passphrase_file"]) if options["passphrase_file"] else None
            )
            check_recipients(
                recipients=options["recipient"],
                passphrase=passphrase,
                keys_recipients=options["keys_recipient"],
                without_keys=options["without_keys"],
                keys_to_data_recipients=options["keys_to_data_recipients"],
            )
            recipients = [archive.recipient_from_text(text) for text in options["recipient"]]
            keys_recipients = [archive.recipient_from_text(text) for text in options["keys_recipient"]]
            output = options["output"] or default_output(datetime.datetime.now(datetime.UTC))
            if output.exists():
                raise CommandError(f"{output} exists; choose another --output.")
            with Progress(*COLUMNS, console=console) as progress:
                report = backup_create(
                    output=output,
                    recipients=recipients,
                    passphrase=passphrase,
                    keys_recipients=keys_recipients,
                    progress=ProgressBars(progress),
                )
        except (archive.ArchiveError, BackupRefused, KeyOperationRunning, SnapshotError) as error:
            raise CommandError(str(error)) from error
        summary = report.manifest.summary()
        console.print(
            f"Backup written to {report.output} ({report.output.stat().st_size} bytes): "
            f"{summary['rows']} rows in {summary['tables']} tables, {summary['media_files']} media files, "
            f"{summary['checkpoints']} checkpoints."
        )
        if report.manifest.keys_included:
            console.print(
                f"Keysets ({report.keys_files} files) encrypted separately to {len(keys_recipients)} "
                "key-custody recipient(s). The master key is not in the backup: keep it in its own custody."
            )
        else:
            console.print("[bold]Keysets not included[/]: this backup opens only with a copy of keys/ kept elsewhere.")
