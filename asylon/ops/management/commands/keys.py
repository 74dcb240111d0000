"""`asylon keys rotate | status | seal | export`: rotation while serving, key inventory, sealing, custody export.

See docs/keys.md for the procedure and what each step guarantees.
"""

from __future__ import annotations

import datetime
import getpass
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from asylon.common.crypto import key_history, keysets, rotation
from asylon.common.crypto.document_blobs import document_blob_inventory
from asylon.common.crypto.inventory import Inventory, ciphertext_inventory, ciphertexts_per_key
from asylon.common.crypto.keyring import Keyring, keyring, reset_keyring
from asylon.common.crypto.master import MasterAead, MasterKeyError
from asylon.common.crypto.mfa_secrets import mfa_secrets_inventory
from asylon.config import environment
from asylon.ops.backup import archive, key_export

UNREADABLE_SHOWN = 20
PIPED_WIDTH = 120  # rich would wrap the tables at 80 columns in logs and pipes
KEYSET_TITLES = {keysets.FIELD: "Field keyset", keysets.BLIND_INDEX: "Blind-index keyset"}


def age(created_at: datetime.datetime | None, now: datetime.datetime) -> str:
    """A key's age in the largest whole unit, or "unknown" for keys made before ages were recorded."""
    if created_at is None:
        return "unknown"
    seconds = int((now - created_at).total_seconds())
    for unit, length in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= length:
            return f"{seconds // length} {unit}"
    return "<1 min"


def ask_passphrase(read_secret: Callable[[str], str] = getpass.getpass) -> str:
    """A new passphrase typed twice at the terminal, never echoed; refused without a terminal."""
    if not sys.stdin.isatty():
        raise CommandError(
            "--passphrase asks at the terminal, and there is none: use --passphrase-file, or age recipients."
        )
    first = read_secret("Passphrase for the key export (not shown): ")
    if first != read_secret("The same passphrase again: "):
        raise CommandError("The two passphrases differ; nothing was written.")
    return key_export.check_passphrase(first)


class ProgressBars:
    """Shows one progress bar per model and sweep while `reencrypt_all` runs."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.bars: dict[str, TaskID] = {}

    def sweep_started(self, *, sweep: int, label: str, rows: int) -> None:
        self.bars[label] = self.progress.add_task(f"sweep {sweep}  {label}", total=rows)

    def rows_swept(self, *, label: str, rows: int) -> None:
        self.progress.advance(self.bars[label], rows)


class Command(BaseCommand):
    help = "Rotate the field key and re-encrypt while serving, show the key inventory, or seal cleartext keysets."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{rotate,status,seal,export}")
        rotate = actions.add_parser("rotate", help="add a new primary field key and re-encrypt every value under it")
        rotate.add_argument("--batch-size", type=int, default=rotation.DEFAULT_BATCH_SIZE, help="rows per transaction")
        rotate.add_argument(
            "--max-sweeps",
            type=int,
            default=rotation.DEFAULT_MAX_SWEEPS,
            help="give up after this many sweeps if concurrent writes keep producing old ciphertexts",
        )
        rotate.add_argument(
            "--destroy-old",
            action="store_true",
            help="then destroy the old keys under which no ciphertext remains (old backups need the old keyset)",
        )
        actions.add_parser("status", help="keys, their ages, and how many ciphertexts each key holds, per column")
        actions.add_parser("seal", help="seal cleartext keysets under the master key (demo to production)")
        export = actions.add_parser(
            "export", help="write the sealed keysets and their key metadata into one age file for offline custody"
        )
        export.add_argument(
            "--recipient",
            action="append",
            default=[],
            metavar="AGE_PUBLIC_KEY",
            help="age X25519 public key (age1…) that may open the export, for example a trustee's; repeat for several",
        )
        export.add_argument(
            "--recipients-file",
            action="append",
            type=Path,
            default=[],
            metavar="FILE",
            help="a file of age public keys, one a line (# comments)",
        )
        export.add_argument(
            "--passphrase", action="store_true", help="encrypt to a passphrase typed at the terminal instead"
        )
        export.add_argument("--passphrase-file", type=Path, help="encrypt to the passphrase in this file instead")
        export.add_argument("--output", type=Path, required=True, metavar="FILE", help="the export file to create")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.ending = ""  # rich writes partial lines; Django's wrapper would end each with a newline
        self.console = Console(file=cast(IO[str], self.stdout), highlight=False)
        if not self.console.is_terminal:
            self.console.width = PIPED_WIDTH
        try:
            if options["action"] == "rotate":
                self.rotate(options["batch_size"], options["max_sweeps"], options["destroy_old"])
            elif options["action"] == "status":
                self.status()
            elif options["action"] == "export":
                self.export(options)
            else:
                self.seal()
        except (
            MasterKeyError,
            rotation.KeyOperationRunning,
            key_export.KeyExportRefused,
            archive.ArchiveError,
        ) as error:
            raise CommandError(str(error)) from error

    def rotate(self, batch_size: int, max_sweeps: int, destroy_old: bool) -> None:
        if batch_size < 1 or max_sweeps < 1:
            raise CommandError("--batch-size and --max-sweeps must be at least 1.")
        ring = keyring()
        if ring.master is None:
            self.console.print("[bold red]DEMO: no master key; the new keyset is written in cleartext.[/]")
        with rotation.keyset_lock(ring.keys_dir):
            addition = rotation.field_key_add(ring=ring)
            self.console.print(
                f"Field keyset: new primary key {addition.key_id} (previous primary {addition.previous_key_id})."
            )
            with self.console.status(
                f"Waiting {rotation.PROPAGATION_SECONDS:.0f} s for servers and workers to load the new key…"
            ):
                time.sleep(rotation.PROPAGATION_SECONDS)
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=self.console) as progress:
                report = rotation.reencrypt_all(
                    batch_size=batch_size, max_sweeps=max_sweeps, progress=ProgressBars(progress)
                )
            self.console.print(
                f"Re-encrypted {report.resealed} values and {report.blobs_resealed} document files in "
                f"{report.sweeps} sweep(s); {report.missed_swaps} concurrent writes were re-read and retried."
            )
            self.report_unreadable(sorted(report.unreadable))
            if not report.complete:
                remaining = ", ".join(f"{label}: {count}" for label, count in sorted(report.remaining.items()))
                raise CommandError(
                    f"After {report.sweeps} sweeps values remain under old keys ({remaining}). The old keys are "
                    "kept. Run `asylon keys status`; values that do not decrypt need investigation."
                )
            if destroy_old:
                destruction = rotation.unused_old_keys_destroy(ring=ring)
                destroyed = ", ".join(map(str, destruction.destroyed)) or "none"
                self.console.print(f"Destroyed old keys: {destroyed}.")
            self.console.print(
                f"Earlier key exports do not hold key {addition.key_id}: run `asylon keys export` for the trustees now."
            )

    def report_unreadable(self, unreadable: list[str]) -> None:
        if not unreadable:
            return
        self.console.print(
            f"[bold red]{len(unreadable)} values do not decrypt under their binding and were left as they are:[/]"
        )
        for value in unreadable[:UNREADABLE_SHOWN]:
            self.console.print(f"  {value}")

    def status(self) -> None:
        ring = keyring()
        now = datetime.datetime.now(datetime.UTC)
        inventories = [*ciphertext_inventory(), document_blob_inventory(), mfa_secrets_inventory()]
        per_key = ciphertexts_per_key(inventories)
        for name in keysets.TEMPLATES:
            self.console.print(self.keyset_table(ring, name, now, per_key if name == keysets.FIELD else None))
        self.console.print(self.inventory_table(inventories))
        unrecognised = [inventory for inventory in inventories if inventory.unrecognised]
        for inventory in unrecognised:
            self.console.print(
                f"[bold red]{inventory.label}: {inventory.unrecognised} values carry no Tink prefix "
                "(plaintext written past the field, or damage).[/]"
            )
        self.report_old_keys(ring.primary_key_id, inventories)
        self.report_custody(ring)

    def report_old_keys(self, primary_key_id: int, inventories: list[Inventory]) -> None:
        """Which data is still under a key other than the primary, by column; or that none is."""
        behind = [(inventory, inventory.under_keys_other_than(primary_key_id)) for inventory in inventories]
        behind = [(inventory, count) for inventory, count in behind if count]
        if not behind:
            self.console.print(f"Every stored value is under the primary field key {primary_key_id}.")
            return
        self.console.print(
            f"[bold]{sum(count for _, count in behind)} values are still under old field keys[/] "
            f"({', '.join(f'{inventory.label}: {count}' for inventory, count in behind)}); "
            "`asylon keys rotate` re-encrypts them. Old keys stay until no value needs them."
        )

    def report_custody(self, ring: Keyring) -> None:
        """When the keysets were last exported for custody, and whether that export holds every current key."""
        exported = key_export.last_export()
        if exported is None:
            self.console.print(
                "[bold]No key export is recorded[/]: run `asylon keys export` so that trustees hold the keysets "
                "(docs/keys.md, 'Recovery after losing the server')."
            )
            return
        missing = []
        for name in keysets.TEMPLATES:
            handle = keysets.read_keyset(ring.keys_dir, name, ring.master, ring.allow_cleartext)
            current = {info.key_id for info in keysets.key_infos(handle)}
            missing += [
                f"{KEYSET_TITLES[name].lower()} key {key_id}"
                for key_id in sorted(current - set(exported.key_ids.get(name, [])))
            ]
        when = f"{exported.created_at:%Y-%m-%d %H:%M} UTC"
        if missing:
            self.console.print(
                f"[bold red]The last key export ({when}) lacks {', '.join(missing)}[/]: run `asylon keys export` "
                "again, or a restore from it cannot open data written since."
            )
        else:
            self.console.print(f"Last key export: {when}; it holds every current key.")

    def keyset_table(self, ring: Keyring, name: str, now: datetime.datetime, per_key: dict[int, int] | None) -> Table:
        """One keyset's keys (and those destroyed); for the field keyset also the ciphertexts under each."""
        handle = keysets.read_keyset(ring.keys_dir, name, ring.master, ring.allow_cleartext)
        storage = "sealed under the master key" if keysets.is_sealed(ring.keys_dir, name) else "CLEARTEXT (demo only)"
        table = Table(title=f"{KEYSET_TITLES[name]}, {storage}", caption=str(keysets.keyset_path(ring.keys_dir, name)))
        for heading in ("key id", "primary", "status", "created (UTC)", "age"):
            table.add_column(heading)
        if per_key is not None:
            table.add_column("ciphertexts", justify="right")
        history = key_history.read_history(ring.keys_dir, name)
        infos = keysets.key_infos(handle)
        rows = [(info.key_id, "yes" if info.primary else "", info.status) for info in infos]
        present = {info.key_id for info in infos}
        rows += [
            (key_id, "", f"DESTROYED {record.destroyed_at:%Y-%m-%d %H:%M}")
            for key_id, record in sorted(history.items())
            if key_id not in present and record.destroyed_at
        ]
        for key_id, primary, status in rows:
            created_at = history.get(key_id, key_history.KeyRecord()).created_at
            created = f"{created_at:%Y-%m-%d %H:%M}" if created_at else "unknown"
            cells = [str(key_id), primary, status, created, age(created_at, now)]
            table.add_row(*cells, *([str(per_key.get(key_id, 0))] if per_key is not None else []))
        return table

    def inventory_table(self, inventories: list[Inventory]) -> Table:
        """Ciphertexts per column and key id, as the stored bytes say (raw SQL, and document files' first bytes)."""
        table = Table(title="Ciphertexts per column and key id")
        table.add_column("column")
        table.add_column("key id")
        table.add_column("ciphertexts", justify="right")
        for inventory in inventories:
            for key_id, count in sorted(inventory.ciphertexts_by_key.items()):
                table.add_row(inventory.label, str(key_id), str(count))
        if not table.row_count:
            table.add_row("(no encrypted values stored)", "", "")
        return table

    def export(self, options: dict[str, Any]) -> None:
        recipients = [archive.recipient_from_text(text) for text in options["recipient"]]
        for path in options["recipients_file"]:
            recipients += key_export.recipients_from_file(path)
        if options["passphrase"] and options["passphrase_file"]:
            raise CommandError("Give --passphrase or --passphrase-file, not both.")
        passphrase = None
        if options["passphrase_file"]:
            passphrase = archive.passphrase_from_file(options["passphrase_file"])
        elif options["passphrase"]:
            passphrase = ask_passphrase()
        report = key_export.keys_export(output=options["output"], recipients=recipients, passphrase=passphrase)
        described = "; ".join(
            f"{KEYSET_TITLES[name]}: {', '.join(map(str, ids))}" for name, ids in report.key_ids.items()
        )
        opened_by = f"{len(recipients)} age recipient(s)" if recipients else "the passphrase"
        self.console.print(
            f"Key export written to {report.output} ({report.files} files, SHA-256 {report.sha256}), "
            f"encrypted to {opened_by}. Key ids: {described}."
        )
        self.console.print(
            "The keysets inside are still sealed under the master key: keep the master key in its own custody, "
            "and export again after every `asylon keys rotate`."
        )

    def seal(self) -> None:
        secret = environment.master_key()
        if secret is None:
            raise CommandError("No master key: set ASYLON_MASTER_KEY or ASYLON_MASTER_KEY_FILE, then run again.")
        keys_dir = Path(settings.ASYLON_KEYS_DIR)
        with rotation.keyset_lock(keys_dir):
            sealed = rotation.keysets_seal(keys_dir=keys_dir, master=MasterAead(secret))
        reset_keyring()
        if not sealed:
            self.console.print("Every keyset was sealed already.")
            return
        self.console.print(f"Sealed under the master key: {', '.join(sealed)}.")
        self.console.print(
            "Copies of the cleartext keysets may survive in backups and on disk. Once the instance runs with "
            "the master key, run `asylon keys rotate --destroy-old` so that they no longer open anything."
        )
