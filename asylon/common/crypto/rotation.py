"""Field key rotation while the application keeps serving.

1. `field_key_add` adds a fresh AES-256-GCM key to the field keyset as its primary, writes the
   keyset (sealed under the master key when one is configured) and reloads this process's keyring.
2. The caller waits `PROPAGATION_SECONDS`: servers and workers re-read the keyset file within
   `KEYSET_REFRESH_SECONDS` of their next encryption, so from then on every write uses the new key.
3. `reencrypt_all` sweeps every encrypted column in primary-key order, a batch per transaction.
   Each row is written with a compare-and-swap on the ciphertexts it read, so a value written
   concurrently is never overwritten: the swap misses, the row is re-read and tried again.
   Sweeps repeat until the raw-SQL inventory finds no ciphertext under another key, or give up
   after `max_sweeps` and say what is left.
4. `unused_old_keys_destroy` removes old keys the inventory finds no ciphertext under.

Run these under `keyset_lock`, so that two key operations never interleave.
"""

from __future__ import annotations

import fcntl
import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.db import models, transaction

from asylon.audit import services as audit
from asylon.common.crypto import key_history, keysets
from asylon.common.crypto.document_blobs import DOCUMENT_BLOBS_LABEL, document_blob_inventory, document_blobs_reseal
from asylon.common.crypto.inventory import (
    Inventory,
    ciphertext_inventory,
    ciphertexts_per_key,
    encrypted_columns,
)
from asylon.common.crypto.keyring import KEYSET_REFRESH_SECONDS, DecryptionError, Keyring, key_id_of, keyring
from asylon.common.crypto.master import MasterAead
from asylon.common.crypto.mfa_secrets import MFA_SECRETS_LABEL, mfa_secrets_inventory, mfa_secrets_reseal
from asylon.common.encrypted import EncryptedField, Sealed, binding

# Long enough for every process to pass its next keyset check after the file changed.
PROPAGATION_SECONDS = 2 * KEYSET_REFRESH_SECONDS + 1
DEFAULT_BATCH_SIZE = 500
DEFAULT_MAX_SWEEPS = 5
SWAP_ATTEMPTS = 5
LOCK_FILE = "keysets.lock"


class KeyOperationRunning(Exception):
    """Another key operation holds the keys directory."""


class SweepProgress(Protocol):
    def sweep_started(self, *, sweep: int, label: str, rows: int) -> None: ...

    def rows_swept(self, *, label: str, rows: int) -> None: ...


@dataclass(frozen=True)
class KeyAddition:
    key_id: int
    previous_key_id: int


@dataclass
class Reencryption:
    """What the sweeps did; `remaining` is what the inventory still finds under other keys, by column."""

    primary_key_id: int
    sweeps: int = 0
    resealed: int = 0
    missed_swaps: int = 0
    blobs_resealed: int = 0
    unreadable: set[str] = field(default_factory=set)
    remaining: dict[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.remaining


@dataclass(frozen=True)
class KeyDestruction:
    destroyed: list[int]
    in_use: dict[int, int]


@dataclass(frozen=True)
class RowChange:
    """The ciphertexts a sweep read from a row and their replacements under the primary key."""

    read: dict[str, Sealed]
    resealed: dict[str, Sealed]


@contextmanager
def keyset_lock(keys_dir: Path) -> Iterator[None]:
    """Hold the keys directory for one key operation; refuse if another one is running."""
    descriptor = os.open(keys_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise KeyOperationRunning(
                f"Another key operation is running on {keys_dir}; wait for it to finish and try again."
            ) from None
        yield
    finally:
        os.close(descriptor)


def field_key_add(*, ring: Keyring) -> KeyAddition:
    """Add a fresh primary key to the field keyset on disk and load it into this process."""
    handle = keysets.read_keyset(ring.keys_dir, keysets.FIELD, ring.master, ring.allow_cleartext)
    previous_key_id = handle.keyset_info().primary_key_id
    rotated, key_id = keysets.with_new_primary(handle, keysets.FIELD)
    keysets.write_keyset(ring.keys_dir, keysets.FIELD, rotated, ring.master)
    key_history.record_keys(ring.keys_dir, keysets.FIELD, created=[key_id])
    ring.reload()
    audit.record(
        actor=None,
        action="keys.rotate",
        details={
            "keyset": keysets.FIELD,
            "key_id": key_id,
            "previous_key_id": previous_key_id,
            "sealed": ring.master is not None,
        },
    )
    return KeyAddition(key_id=key_id, previous_key_id=previous_key_id)


def _stale_inventories(primary_key_id: int) -> list[Inventory]:
    """Columns and file stores that still hold ciphertexts under keys other than the primary."""
    inventories = [*ciphertext_inventory(), document_blob_inventory(), mfa_secrets_inventory()]
    return [inventory for inventory in inventories if inventory.under_keys_other_than(primary_key_id)]


def _reseal_row(
    model: type[models.Model],
    fields: Sequence[EncryptedField],
    pk: Any,
    values: Sequence[Any],
    primary_key_id: int,
    report: Reencryption,
) -> RowChange | None:
    """New ciphertexts for the row's values that are not under the primary key, bound as before."""
    ring = keyring()
    read: dict[str, Sealed] = {}
    resealed: dict[str, Sealed] = {}
    for encrypted, value in zip(fields, values, strict=True):
        if value is None or key_id_of(value) == primary_key_id:
            continue
        associated = binding(model, encrypted.name, pk)
        try:
            plaintext = ring.decrypt(bytes(value), associated)
        except DecryptionError:
            report.unreadable.add(f"{model._meta.label_lower}.{encrypted.name}:{pk}")
            continue
        read[encrypted.attname] = Sealed(value)
        resealed[encrypted.attname] = Sealed(ring.encrypt(plaintext, associated))
    return RowChange(read=read, resealed=resealed) if read else None


def _compare_and_swap(model: type[models.Model], pk: Any, change: RowChange) -> bool:
    """Write the new ciphertexts only if the row still holds exactly what was read."""
    return model._base_manager.filter(pk=pk, **change.read).update(**change.resealed) == 1


def _retry_row(
    model: type[models.Model], fields: Sequence[EncryptedField], pk: Any, primary_key_id: int, report: Reencryption
) -> None:
    """Re-read a row whose swap missed (it was written meanwhile) and try again; a later sweep catches the rest."""
    attnames = [encrypted.attname for encrypted in fields]
    for _attempt in range(SWAP_ATTEMPTS):
        values = model._base_manager.filter(pk=pk).values_list(*attnames).first()
        if values is None:
            return  # deleted meanwhile
        change = _reseal_row(model, fields, pk, values, primary_key_id, report)
        if change is None:
            return  # the concurrent write already used the primary key
        with transaction.atomic():
            if _compare_and_swap(model, pk, change):
                report.resealed += len(change.resealed)
                return
        report.missed_swaps += 1


def _sweep_model(
    model: type[models.Model],
    fields: Sequence[EncryptedField],
    *,
    sweep: int,
    batch_size: int,
    report: Reencryption,
    progress: SweepProgress | None,
) -> None:
    """Re-encrypt the given fields of every row of one model, a batch of rows per transaction."""
    manager = model._base_manager
    label = model._meta.label_lower
    attnames = [encrypted.attname for encrypted in fields]
    if progress:
        progress.sweep_started(sweep=sweep, label=label, rows=manager.count())
    last_pk = None
    while True:
        rows = manager.order_by("pk")
        if last_pk is not None:
            rows = rows.filter(pk__gt=last_pk)
        batch = list(rows.values_list("pk", *attnames)[:batch_size])
        if not batch:
            return
        last_pk = batch[-1][0]
        changes = {}
        for pk, *values in batch:  # decrypt and encrypt outside the transaction: it holds SQLite's write lock
            change = _reseal_row(model, fields, pk, values, report.primary_key_id, report)
            if change:
                changes[pk] = change
        missed = []
        with transaction.atomic():
            for pk, change in changes.items():
                if _compare_and_swap(model, pk, change):
                    report.resealed += len(change.resealed)
                else:
                    missed.append(pk)
        report.missed_swaps += len(missed)
        for pk in missed:
            _retry_row(model, fields, pk, report.primary_key_id, report)
        if progress:
            progress.rows_swept(label=label, rows=len(batch))


def _columns_by_model(labels: set[str]) -> dict[type[models.Model], list[EncryptedField]]:
    """The encrypted fields with these labels, grouped by their model."""
    grouped: dict[type[models.Model], list[EncryptedField]] = defaultdict(list)
    for column in encrypted_columns():
        if column.label in labels:
            grouped[column.model].append(column.field)
    return grouped


def _only_unreadable_left(stale: list[Inventory], report: Reencryption) -> bool:
    """Whether every ciphertext still under an old key is one that did not decrypt: sweeping again would not help."""
    left = sum(inventory.under_keys_other_than(report.primary_key_id) for inventory in stale)
    return left <= len(report.unreadable)


def reencrypt_all(
    *, batch_size: int = DEFAULT_BATCH_SIZE, max_sweeps: int = DEFAULT_MAX_SWEEPS, progress: SweepProgress | None = None
) -> Reencryption:
    """Sweep until no ciphertext in the database or document store is under a key other than the primary."""
    report = Reencryption(primary_key_id=keyring().primary_key_id)
    stale = _stale_inventories(report.primary_key_id)
    while stale and report.sweeps < max_sweeps and not _only_unreadable_left(stale, report):
        report.sweeps += 1
        labels = {inventory.label for inventory in stale}
        for model, fields in _columns_by_model(labels).items():
            _sweep_model(model, fields, sweep=report.sweeps, batch_size=batch_size, report=report, progress=progress)
        if DOCUMENT_BLOBS_LABEL in labels:
            blobs = document_blobs_reseal(primary_key_id=report.primary_key_id)
            report.blobs_resealed += blobs.resealed
            report.unreadable.update(blobs.unreadable)
        if MFA_SECRETS_LABEL in labels:
            secrets = mfa_secrets_reseal(primary_key_id=report.primary_key_id)
            report.resealed += secrets.resealed
            report.unreadable.update(secrets.unreadable)
        stale = _stale_inventories(report.primary_key_id)
    report.remaining = {inventory.label: inventory.under_keys_other_than(report.primary_key_id) for inventory in stale}
    audit.record(
        actor=None,
        action="keys.reencrypt",
        details={
            "keyset": keysets.FIELD,
            "key_id": report.primary_key_id,
            "sweeps": report.sweeps,
            "resealed": report.resealed,
            "blobs_resealed": report.blobs_resealed,
            "complete": report.complete,
        },
    )
    return report


def unused_old_keys_destroy(*, ring: Keyring) -> KeyDestruction:
    """Destroy the field keyset's non-primary keys under which the inventory finds no ciphertext."""
    handle = keysets.read_keyset(ring.keys_dir, keysets.FIELD, ring.master, ring.allow_cleartext)
    old_key_ids = {info.key_id for info in keysets.key_infos(handle) if not info.primary}
    in_use = ciphertexts_per_key([*ciphertext_inventory(), document_blob_inventory(), mfa_secrets_inventory()])
    still_needed = {key_id: in_use[key_id] for key_id in sorted(old_key_ids) if in_use[key_id]}
    unused = sorted(old_key_ids - set(still_needed))
    if unused:
        keysets.write_keyset(ring.keys_dir, keysets.FIELD, keysets.without_keys(handle, set(unused)), ring.master)
        key_history.record_keys(ring.keys_dir, keysets.FIELD, destroyed=unused)
        ring.reload()
        audit.record(actor=None, action="keys.destroy", details={"keyset": keysets.FIELD, "key_ids": unused})
    return KeyDestruction(destroyed=unused, in_use=still_needed)


def keysets_seal(*, keys_dir: Path, master: MasterAead) -> list[str]:
    """Rewrite the cleartext keysets sealed under the master key; return the names sealed.

    Keysets sealed already must open with the same master key (MasterKeyError otherwise), so that
    one instance never ends up with keysets under two different master keys.
    """
    cleartext = [name for name in keysets.TEMPLATES if not keysets.is_sealed(keys_dir, name)]
    for name in set(keysets.TEMPLATES) - set(cleartext):
        keysets.read_keyset(keys_dir, name, master, allow_cleartext=False)
    for name in cleartext:
        handle = keysets.read_keyset(keys_dir, name, None, allow_cleartext=True)
        keysets.write_keyset(keys_dir, name, handle, master)
    from asylon.audit.signing import signing_key_seal

    if signing_key_seal(keys_dir=keys_dir, master=master):
        cleartext.append("audit_signing")
    if cleartext:
        audit.record(actor=None, action="keys.seal", details={"keysets": cleartext})
    return cleartext
