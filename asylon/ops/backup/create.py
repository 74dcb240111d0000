"""Making a backup: database snapshot, media files, audit checkpoints and manifest, sealed with age.

The keysets go in as a separate age file to the key-custody recipients, or not at all: never in
the clear and, unless the operator asks, never to the recipients who can open the data.
"""

from __future__ import annotations

import datetime
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.conf import settings
from pyrage import x25519

from asylon.audit import services as audit
from asylon.common.crypto.rotation import keyset_lock
from asylon.ops.backup import archive
from asylon.ops.backup.manifest import (
    CHECKPOINTS_PREFIX,
    DATABASE_PREFIX,
    KEYS_MEMBER,
    MEDIA_PREFIX,
    Manifest,
)
from asylon.ops.backup.progress import NoProgress, StepProgress
from asylon.ops.backup.snapshot import database_snapshot
from asylon.ops.backup.target import CHECKPOINTS


class BackupRefused(Exception):
    """The backup's options are unsafe or contradictory."""


@dataclass(frozen=True)
class BackupReport:
    output: Path
    manifest: Manifest
    keys_files: int


def default_output(now: datetime.datetime) -> Path:
    return Path(settings.DATA_DIR) / "backups" / f"asylon-backup-{now:%Y%m%dT%H%M%SZ}.age"


def asylon_version() -> str:
    try:
        return metadata.version("asylon")
    except metadata.PackageNotFoundError:
        return "unknown"


def check_recipients(
    *,
    recipients: Sequence[str],
    passphrase: str | None,
    keys_recipients: Sequence[str],
    without_keys: bool,
    keys_to_data_recipients: bool,
) -> None:
    """Refuse combinations that would leave the backup or its keys open to the wrong people."""
    if bool(recipients) == (passphrase is not None):
        raise BackupRefused("Give the data recipients with --recipient, or a passphrase with --passphrase-file (one).")
    if without_keys and keys_recipients:
        raise BackupRefused("--without-keys and --keys-recipient contradict each other.")
    if not without_keys and not keys_recipients:
        raise BackupRefused(
            "Say where the keysets go: --keys-recipient AGE_PUBLIC_KEY (key custody), or --without-keys."
        )
    shared = {text.strip() for text in keys_recipients} & {text.strip() for text in recipients}
    if shared and not keys_to_data_recipients:
        raise BackupRefused(
            "A --keys-recipient is also a data --recipient: whoever holds that identity could open both the data "
            "and its keys. Use a separate key-custody key, or pass --keys-to-data-recipients if you mean it."
        )


def backup_create(
    *,
    output: Path,
    recipients: Sequence[x25519.Recipient],
    passphrase: str | None,
    keys_recipients: Sequence[x25519.Recipient],
    progress: StepProgress | None = None,
) -> BackupReport:
    """Write one encrypted backup file; audit `backup.create` with counts only."""
    progress = progress or NoProgress()
    data_dir = Path(settings.DATA_DIR)
    staging_root = data_dir / "backups"
    staging_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=staging_root))  # 0700, beside the data it copies
    try:
        # No key operation may interleave: the keysets copied must open every value copied.
        tar_path = staging / "backup.tar"
        with keyset_lock(Path(settings.ASYLON_KEYS_DIR)):
            manifest, members, keys_files = _collect(staging, keys_recipients, progress)
            progress.started("packing", 1)
            archive.pack(tar_path, members, manifest)
            progress.advanced("packing")
        progress.started("encrypting", 1)
        output.parent.mkdir(parents=True, exist_ok=True)
        archive.seal(tar_path, output, recipients=recipients, passphrase=passphrase)
        progress.advanced("encrypting")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    audit.record(
        actor=None,
        action="backup.create",
        details={
            **manifest.summary(),
            "database_engine": manifest.database_engine,
            "recipients": len(recipients),
            "passphrase": passphrase is not None,
            "keys_recipients": len(keys_recipients),
            "keys_files": keys_files,
        },
    )
    return BackupReport(output=output, manifest=manifest, keys_files=keys_files)


def _collect(
    staging: Path, keys_recipients: Sequence[x25519.Recipient], progress: StepProgress
) -> tuple[Manifest, list[tuple[str, Path]], int]:
    progress.started("database snapshot", 1)
    snapshot = database_snapshot(staging)
    progress.advanced("database snapshot")
    members: list[tuple[str, Path]] = [(DATABASE_PREFIX + snapshot.path.name, snapshot.path)]
    for prefix, directory in (
        (MEDIA_PREFIX, Path(settings.MEDIA_ROOT)),
        (CHECKPOINTS_PREFIX, Path(settings.DATA_DIR) / CHECKPOINTS),
    ):
        if directory.is_dir():
            files = sorted(path for path in directory.rglob("*") if path.is_file() and not path.is_symlink())
            members += [(prefix + path.relative_to(directory).as_posix(), path) for path in files]
    keys_files = 0
    if keys_recipients:
        progress.started("keysets", 1)
        sealed_keys, keys_files = archive.keys_seal(Path(settings.ASYLON_KEYS_DIR), keys_recipients)
        keys_path = staging / KEYS_MEMBER
        keys_path.write_bytes(sealed_keys)
        members.append((KEYS_MEMBER, keys_path))
        progress.advanced("keysets")
    manifest = Manifest(
        created_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        asylon_version=asylon_version(),
        database_engine=snapshot.engine,
        database_member=DATABASE_PREFIX + snapshot.path.name,
        migrations=snapshot.contents.migrations,
        tables=snapshot.contents.tables,
        keys_included=bool(keys_recipients),
    )
    return manifest, members, keys_files
