"""Restoring a backup into an empty data directory and an empty database.

Everything is decrypted and checked in a private staging folder first (age authentication, every
member against its SHA-256 in the manifest, the database snapshot's rows against the manifest's
counts, the keysets against their key-custody identity); a refusal leaves the target as it was.
Only then are the database, media files, checkpoints and keysets put in place, and the migration
state is compared with the code's.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from pyrage import x25519

from asylon.audit import services as audit
from asylon.common.crypto.keyring import DecryptionError, keyring, reset_keyring
from asylon.common.crypto.master import MasterKeyError
from asylon.ops.backup import archive
from asylon.ops.backup.key_export import key_export_open
from asylon.ops.backup.manifest import (
    CHECKPOINTS_PREFIX,
    KEYS_MEMBER,
    MANIFEST_NAME,
    MEDIA_PREFIX,
    MEMBER_PREFIXES,
    Manifest,
    ManifestError,
    verify_members,
)
from asylon.ops.backup.progress import NoProgress, StepProgress
from asylon.ops.backup.snapshot import (
    SQLITE,
    SnapshotError,
    database_contents,
    database_is_empty,
    database_load,
    engine_of,
    sqlite_contents,
)
from asylon.ops.backup.target import CHECKPOINTS, data_files, describe


class RestoreRefused(Exception):
    """The target is not empty, or the backup does not open or does not verify; nothing was written."""


class RestoreIncomplete(Exception):
    """The data was restored but the instance is not usable as it is (keys, migrations); the message says why."""


@dataclass
class RestoreReport:
    manifest: Manifest
    keys_restored: int = 0
    pending_migrations: list[str] = field(default_factory=list)
    unknown_migrations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def target_refusal(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """Why the configured data directory and database cannot receive a restore, or None when they are empty."""
    data_dir = Path(settings.DATA_DIR)
    found = data_files(data_dir, Path(settings.MEDIA_ROOT))
    if not database_is_empty(using):
        found.insert(0, f"the database ({connections[using].vendor}: {connections[using].settings_dict['NAME']})")
    if not found:
        return None
    return (
        f"The data directory {data_dir} is not empty: it holds {describe(found)}. Restore only into a new, "
        "empty data directory (ASYLON_DATA_DIR) and an empty database (ASYLON_DATABASE_URL); nothing was written."
    )


def backup_restore(
    *,
    backup: Path,
    identities: Sequence[x25519.Identity],
    passphrase: str | None,
    keys_identities: Sequence[x25519.Identity],
    progress: StepProgress | None = None,
    using: str = DEFAULT_DB_ALIAS,
    keys_export: Path | None = None,
    keys_passphrase: str | None = None,
) -> RestoreReport:
    """Verify a backup completely, then restore it; raise RestoreRefused before writing anything.

    The keysets come from the backup's `keys.age` (opened with `keys_identities`) or, when
    `keys_export` is given, from an `asylon keys export` file (opened with `keys_identities` or
    `keys_passphrase`); a backup made `--without-keys` needs the latter.
    """
    progress = progress or NoProgress()
    refusal = target_refusal(using)
    if refusal:
        raise RestoreRefused(refusal)
    for path in (backup, keys_export):
        if path is not None and not path.is_file():
            raise RestoreRefused(f"{path} is not a file.")
    data_dir = Path(settings.DATA_DIR)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))  # 0700, on the target's file system
    try:
        manifest, keys = _open_and_verify(
            backup, staging, identities, passphrase, keys_identities, progress, using, keys_export is not None
        )
        if keys_export is not None:
            keys = key_export_open(
                keys_export.read_bytes(),
                identities=keys_identities,
                passphrase=keys_passphrase,
                source=str(keys_export),
            ).files
        report = RestoreReport(manifest=manifest)
        _put_in_place(manifest, staging / "members", keys, progress, using)
        report.keys_restored = len(keys)
    except (archive.ArchiveError, ManifestError) as error:
        raise RestoreRefused(str(error)) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _check_restored(report, using)
    if not report.pending_migrations and not report.unknown_migrations:
        audit.record(actor=None, action="backup.restore", details={**manifest.summary(), "keys_files": len(keys)})
    return report


def _open_and_verify(
    backup: Path,
    staging: Path,
    identities: Sequence[x25519.Identity],
    passphrase: str | None,
    keys_identities: Sequence[x25519.Identity],
    progress: StepProgress,
    using: str,
    keys_export_given: bool = False,
) -> tuple[Manifest, dict[str, bytes]]:
    progress.started("decrypting", 1)
    plain = staging / "backup.tar"
    archive.open_sealed(backup, plain, identities=identities, passphrase=passphrase)
    progress.advanced("decrypting")
    members_dir = staging / "members"
    members_dir.mkdir()
    progress.started("unpacking", 1)
    archive.unpack(plain, members_dir, allowed_prefixes=MEMBER_PREFIXES, allowed_names=(MANIFEST_NAME, KEYS_MEMBER))
    plain.unlink()
    progress.advanced("unpacking")
    manifest_path = members_dir / MANIFEST_NAME
    if not manifest_path.is_file():
        raise ManifestError("The backup holds no manifest: it is not an Asylon backup, or it is incomplete.")
    manifest = Manifest.from_json(manifest_path.read_bytes())
    progress.started("verifying checksums", 1)
    verify_members(manifest, members_dir)
    progress.advanced("verifying checksums")
    engine = engine_of(connections[using])
    if manifest.database_engine != engine:
        raise RestoreRefused(
            f"The backup holds a {manifest.database_engine} database but the configured database is {engine}: "
            "restore into the same kind of database (ASYLON_DATABASE_URL)."
        )
    if engine == SQLITE:
        _verify_contents(manifest, _staged_sqlite_contents(members_dir / manifest.database_member))
    keys: dict[str, bytes] = {}
    if keys_identities and not keys_export_given:
        if not manifest.keys_included:
            raise RestoreRefused(
                "This backup holds no keysets (it was made with --without-keys); omit --keys-identity."
            )
        keys = archive.keys_open((members_dir / KEYS_MEMBER).read_bytes(), keys_identities)
    return manifest, keys


def _staged_sqlite_contents(path: Path) -> tuple[dict[str, int], list[list[str]]]:
    try:
        contents = sqlite_contents(path)
    except SnapshotError as error:
        raise ManifestError(f"The backup's database does not open: {error}") from error
    return contents.tables, contents.migrations


def _verify_contents(manifest: Manifest, contents: tuple[dict[str, int], list[list[str]]]) -> None:
    tables, migrations = contents
    if tables != manifest.tables:
        differing = sorted(
            name for name in set(tables) | set(manifest.tables) if tables.get(name) != manifest.tables.get(name)
        )
        raise ManifestError(f"Rows per table differ from the manifest in: {', '.join(differing[:10])}.")
    if migrations != manifest.migrations:
        raise ManifestError("The database's applied migrations differ from the manifest.")


def _put_in_place(
    manifest: Manifest, members_dir: Path, keys: dict[str, bytes], progress: StepProgress, using: str
) -> None:
    progress.started("database", 1)
    database_load(members_dir / manifest.database_member, manifest.database_engine, using)
    progress.advanced("database")
    for prefix, target in (
        (MEDIA_PREFIX, Path(settings.MEDIA_ROOT)),
        (CHECKPOINTS_PREFIX, Path(settings.DATA_DIR) / CHECKPOINTS),
    ):
        names = sorted(name for name in manifest.members if name.startswith(prefix))
        progress.started(prefix.rstrip("/"), len(names))
        for name in names:
            destination = target / name.removeprefix(prefix)
            destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.move(members_dir / name, destination)
            destination.chmod(0o600)
            progress.advanced(prefix.rstrip("/"))
    keys_dir = Path(settings.ASYLON_KEYS_DIR)
    keys_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name, content in sorted(keys.items()):
        path = keys_dir / name
        with path.open("xb") as stream:  # never over an existing key file
            stream.write(content)
        path.chmod(0o600)


def _check_restored(report: RestoreReport, using: str) -> None:
    """Compare the restored database with the manifest and the code; check the keysets open the data."""
    manifest = report.manifest
    connection = connections[using]
    if manifest.database_engine != SQLITE:
        contents = database_contents(using)
        try:
            _verify_contents(manifest, (contents.tables, contents.migrations))
        except ManifestError as error:
            raise RestoreIncomplete(f"The restored database differs from the backup: {error}") from error
    executor = MigrationExecutor(connection)
    graph_nodes = set(executor.loader.graph.nodes)
    report.unknown_migrations = [f"{app}.{name}" for app, name in manifest.migrations if (app, name) not in graph_nodes]
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    report.pending_migrations = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    if report.keys_restored:
        _check_keys_open_data(report)


def check_every_key_restored() -> None:
    """Every key id the restored ciphertexts carry must be in the restored field keyset (raw-SQL inventory)."""
    from asylon.common.crypto import keysets
    from asylon.common.crypto.document_blobs import document_blob_inventory
    from asylon.common.crypto.inventory import ciphertext_inventory, ciphertexts_per_key
    from asylon.common.crypto.mfa_secrets import mfa_secrets_inventory

    per_key = ciphertexts_per_key([*ciphertext_inventory(), document_blob_inventory(), mfa_secrets_inventory()])
    restored = {info.key_id for info in keysets.key_infos(keyring().field_handle)}
    missing = {key_id: count for key_id, count in sorted(per_key.items()) if key_id not in restored}
    if missing:
        listed = ", ".join(f"key {key_id} ({count} values)" for key_id, count in missing.items())
        raise RestoreIncomplete(
            f"Restored, but the restored keysets lack keys the data was written under: {listed}. The keysets "
            "are older than the backup (exported before a rotation): restore them from a later key export."
        )


def _check_keys_open_data(report: RestoreReport) -> None:
    reset_keyring()
    try:
        keyring()
    except MasterKeyError as error:
        raise RestoreIncomplete(
            f"Restored, but the keysets do not open with this master key: {error} Start with the master key "
            "the backed-up instance used (from its custody), then the data opens."
        ) from error
    if report.pending_migrations or report.unknown_migrations:
        return
    check_every_key_restored()
    from asylon.evidence.models import Document
    from asylon.evidence.storage import blob_read

    document = Document._base_manager.only("pk", "blob_name").order_by("pk").first()
    if document is None:
        return
    try:
        blob_read(document)
    except (DecryptionError, FileNotFoundError) as error:
        raise RestoreIncomplete(
            f"Restored, but document {document.pk} does not open with the restored keysets ({error}): "
            "were the keys destroyed by a rotation after this backup?"
        ) from error
