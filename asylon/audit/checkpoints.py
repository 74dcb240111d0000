"""Signed checkpoints of the audit chain, stored in the database and exported as files off the server.

A checkpoint states the last sequence, the number of entries and the head hash at one moment,
signed with the instance's Ed25519 key. The JSON file written to `DATA_DIR/backups/checkpoints/`
travels with the backups and is what auditors download; with the public key it proves, offline,
that the log held at least that many entries ending in that hash.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.dateparse import parse_datetime

from asylon.audit.chain import canonical_json, canonical_time
from asylon.audit.models import AuditEntry, Checkpoint
from asylon.audit.services import _locked_head
from asylon.audit.signing import PublicKey, public_key_from_text, public_of, signing_key

FORMAT = "asylon-audit-checkpoint/1"


def signed_message(*, sequence: int, entry_count: int, head_hash: str, created_at: str, key_id: str) -> bytes:
    """The exact bytes a checkpoint signature covers."""
    return canonical_json(
        {
            "format": FORMAT,
            "sequence": sequence,
            "entry_count": entry_count,
            "head_hash": head_hash,
            "created_at": created_at,
            "key_id": key_id,
        }
    ).encode()


def checkpoint_document(checkpoint: Checkpoint, public_key: PublicKey) -> dict[str, Any]:
    """The exported form: the signed statement, its signature and the public key to check it."""
    return {
        "format": FORMAT,
        "sequence": checkpoint.sequence,
        "entry_count": checkpoint.entry_count,
        "head_hash": checkpoint.head_hash,
        "created_at": canonical_time(checkpoint.created_at),
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
        "public_key": public_key.text,
    }


def export_directory() -> Path:
    return Path(settings.DATA_DIR) / "backups" / "checkpoints"


def checkpoint_export(checkpoint: Checkpoint, public_key: PublicKey) -> Path:
    """Write the checkpoint as a JSON file (0600) among the backups; return its path."""
    directory = export_directory()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = checkpoint.created_at.strftime("%Y%m%dT%H%M%S%fZ")
    path = directory / f"checkpoint-{checkpoint.sequence:012d}-{stamp}.json"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as checkpoint_file:
        json.dump(checkpoint_document(checkpoint, public_key), checkpoint_file, indent=2, sort_keys=True)
    return path


def checkpoint_create(*, only_if_changed: bool = False) -> Checkpoint | None:
    """Sign the chain head as it is now, store and export it; None when unchanged and `only_if_changed`."""
    key = signing_key()
    public_key = public_of(key)
    with transaction.atomic():
        head = _locked_head()  # the chain cannot move while it is counted and signed
        if only_if_changed and Checkpoint.objects.filter(sequence=head.sequence, head_hash=head.entry_hash).exists():
            return None
        checkpoint = Checkpoint(
            sequence=head.sequence,
            entry_count=AuditEntry.objects.filter(sequence__lte=head.sequence).count(),
            head_hash=head.entry_hash,
            key_id=public_key.key_id,
        )
        message = signed_message(
            sequence=checkpoint.sequence,
            entry_count=checkpoint.entry_count,
            head_hash=checkpoint.head_hash,
            created_at=canonical_time(checkpoint.created_at),
            key_id=checkpoint.key_id,
        )
        checkpoint.signature = base64.b64encode(key.sign(message)).decode()
        checkpoint.save(force_insert=True)
    checkpoint_export(checkpoint, public_key)
    return checkpoint


def signature_valid(document: dict[str, Any], public_keys: list[PublicKey]) -> bool:
    """Whether a checkpoint document is signed by one of `public_keys` (matched by key id)."""
    for public_key in public_keys:
        if public_key.key_id != document.get("key_id"):
            continue
        message = signed_message(
            sequence=int(document["sequence"]),
            entry_count=int(document["entry_count"]),
            head_hash=str(document["head_hash"]),
            created_at=str(document["created_at"]),
            key_id=str(document["key_id"]),
        )
        try:
            signature = base64.b64decode(document["signature"], validate=True)
        except ValueError:
            return False
        return public_key.verify(signature, message)
    return False


def document_from_row(checkpoint: Checkpoint) -> dict[str, Any]:
    """A stored checkpoint in the exported form, without the public key (the verifier supplies it)."""
    document = checkpoint_document(checkpoint, PublicKey(b""))
    document.pop("public_key")
    return document


def read_document(path: Path) -> dict[str, Any]:
    document = json.loads(path.read_text(encoding="utf-8"))
    if document.get("format") != FORMAT:
        raise ValueError(f"{path} is not an Asylon audit checkpoint ({FORMAT}).")
    parse_datetime(document["created_at"])
    return document


__all__ = [
    "checkpoint_create",
    "checkpoint_document",
    "checkpoint_export",
    "public_key_from_text",
    "read_document",
    "signature_valid",
]
