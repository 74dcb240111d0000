"""An import run's files in private storage, sealed like document blobs: the upload and the error file.

Each is encrypted with the field keyring and bound to its run and purpose, so a file copied onto
another run (or the upload renamed as the error file) fails to open.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from asylon.common.crypto.keyring import keyring
from asylon.common.encrypted import binding
from asylon.ops.models import ImportRun

IMPORTS_PREFIX = "imports"
UPLOAD, ERRORS = "upload", "errors"


def _path(run: ImportRun, purpose: str) -> str:
    return f"{IMPORTS_PREFIX}/{run.pk}.{purpose}"


def file_write(run: ImportRun, purpose: str, data: bytes) -> None:
    """Encrypt and store one of the run's files (replacing an earlier one)."""
    file_delete(run, purpose)
    sealed = keyring().encrypt(data, binding(ImportRun, purpose, run.pk))
    default_storage.save(_path(run, purpose), ContentFile(sealed))


def file_read(run: ImportRun, purpose: str) -> bytes:
    """Read and decrypt one of the run's files."""
    with default_storage.open(_path(run, purpose), "rb") as stored:
        return keyring().decrypt(stored.read(), binding(ImportRun, purpose, run.pk))


def file_delete(run: ImportRun, purpose: str) -> None:
    if default_storage.exists(_path(run, purpose)):
        default_storage.delete(_path(run, purpose))
