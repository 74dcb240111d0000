"""Encrypted document blobs in private storage (never under a public URL).

Each blob is sealed with the field keyring and bound to its document row, like an encrypted field,
so a blob copied onto another document fails to open.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from asylon.common.crypto.keyring import keyring
from asylon.common.encrypted import binding
from asylon.evidence.models import Document

DOCUMENTS_PREFIX = "documents"


def blob_path(document: Document) -> str:
    return f"{DOCUMENTS_PREFIX}/{document.blob_name}"


def blob_write(document: Document, data: bytes) -> None:
    """Encrypt and store a document's content."""
    sealed = keyring().encrypt(data, binding(Document, "blob", document.pk))
    default_storage.save(blob_path(document), ContentFile(sealed))


def blob_read(document: Document) -> bytes:
    """Read and decrypt a document's content."""
    with default_storage.open(blob_path(document), "rb") as blob:
        return keyring().decrypt(blob.read(), binding(Document, "blob", document.pk))


def blob_delete(document: Document) -> None:
    if default_storage.exists(blob_path(document)):
        default_storage.delete(blob_path(document))
