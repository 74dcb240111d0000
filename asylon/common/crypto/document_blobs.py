"""Document files are sealed with the field keyset too: their inventory and re-encryption on rotation.

A blob is bound to its document row like an encrypted field (see asylon.evidence.storage). Blobs
never change once stored, so re-encryption needs no compare-and-swap: the new file replaces the old
one with an atomic rename, and a reader holding the old file still opens it with the old key.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage

from asylon.common.crypto.inventory import Inventory, tally_prefixes
from asylon.common.crypto.keyring import TINK_PREFIX_LENGTH, DecryptionError, key_id_of, keyring
from asylon.common.encrypted import binding
from asylon.evidence.models import Document
from asylon.evidence.storage import blob_path

DOCUMENT_BLOBS_LABEL = "evidence.document.blob (files)"


@dataclass(frozen=True)
class BlobResealing:
    resealed: int
    not_local: int  # on storage without local paths (e.g. S3): left under their key, which must stay
    unreadable: list[str]  # `evidence.document.blob:<pk>` of files that do not decrypt; left as they are


def _stored_documents() -> list[Document]:
    """Every document row, loaded with just what locating and binding its file needs."""
    return [
        Document(id=document_id, blob_name=blob_name)
        for document_id, blob_name in Document._base_manager.values_list("pk", "blob_name")
    ]


def document_blob_inventory() -> Inventory:
    """Count document files per key id from the first five bytes of each file."""
    prefixes = []
    for document in _stored_documents():
        try:
            with default_storage.open(blob_path(document), "rb") as blob:
                prefixes.append((blob.read(TINK_PREFIX_LENGTH), 1))
        except FileNotFoundError:
            continue  # deleted since the query
    return tally_prefixes(DOCUMENT_BLOBS_LABEL, prefixes)


def _replace_file(path: Path, data: bytes) -> None:
    """Write `data` beside `path` with the same mode, then rename it over `path` in one step."""
    temporary = path.with_name(f"{path.name}.rotating")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IMODE(path.stat().st_mode))
    with os.fdopen(descriptor, "wb") as replacement:
        replacement.write(data)
        replacement.flush()
        os.fsync(replacement.fileno())
    os.replace(temporary, path)


def document_blobs_reseal(*, primary_key_id: int) -> BlobResealing:
    """Re-encrypt every document file that is not under the primary key."""
    ring = keyring()
    resealed = not_local = 0
    unreadable = []
    for document in _stored_documents():
        name = blob_path(document)
        try:
            path = Path(default_storage.path(name))
        except NotImplementedError:
            not_local += 1
            continue
        try:
            sealed = path.read_bytes()
        except FileNotFoundError:
            continue
        if key_id_of(sealed) == primary_key_id:
            continue
        associated = binding(Document, "blob", document.pk)
        try:
            content = ring.decrypt(sealed, associated)
        except DecryptionError:
            unreadable.append(associated.decode())
            continue
        _replace_file(path, ring.encrypt(content, associated))
        resealed += 1
    return BlobResealing(resealed=resealed, not_local=not_local, unreadable=unreadable)
