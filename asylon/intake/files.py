"""Files sent through the public form: checked and stripped like case documents, encrypted in private storage.

The same intake as a case document (asylon/evidence): the type sniffed from the bytes and checked against the
allow-list, metadata stripped, the size capped at ASYLON_MAX_DOCUMENT_BYTES. Each blob is sealed with the field
keyring and bound to its IntakeFile row, so a blob put in another row's place fails to open. Blobs are removed
once the deletion of their rows has committed.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.common.crypto.keyring import DecryptionError, keyring
from asylon.common.encrypted import binding
from asylon.evidence.sanitise import stripped
from asylon.evidence.services.documents import clean_filename
from asylon.evidence.sniffing import checked_type
from asylon.intake.models import IntakeFile, IntakeMessage, IntakeSubmission

INTAKE_PREFIX = "intake"
MAX_FILES = 5


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks: its clean name, sniffed type and stripped content."""

    filename: str
    content_type: str
    content: bytes


def _problems(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def checked_file(upload: UploadedFile) -> CheckedFile:
    """Check one upload as a case document is checked; ValidationError keyed "files" naming the file."""
    limit = settings.ASYLON_MAX_DOCUMENT_BYTES
    shown = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    if upload.size is not None and upload.size > limit:
        raise _refused(shown, _("The file is larger than the limit of %(limit)s MB.") % {"limit": _mb(limit)})
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refused(shown, _("The file is larger than the limit of %(limit)s MB.") % {"limit": _mb(limit)})
    if not data:
        raise _refused(shown, _("The file is empty."))
    try:
        name = clean_filename(upload.name or "")
        allowed = checked_type(data=data, filename=name, declared_type=upload.content_type or "")
        content = stripped(data, allowed)
    except ValidationError as error:
        raise _refused(shown, " ".join(_problems(error))) from error
    return CheckedFile(filename=name, content_type=allowed.media_type, content=content)


def _mb(limit: int) -> float:
    return round(limit / 1_048_576, 1)


def _refused(name: str, problem: str) -> ValidationError:
    return ValidationError(
        {"files": ValidationError(_("File “%(name)s”: %(problem)s") % {"name": name, "problem": problem}, code="file")}
    )


def checked_files(uploads: Sequence[UploadedFile], *, already: int = 0) -> list[CheckedFile]:
    """Check every upload before anything is written; at most MAX_FILES per submission in all."""
    if len(uploads) + already > MAX_FILES:
        raise ValidationError(
            {"files": _("Send at most %(count)s files with your submission.") % {"count": MAX_FILES}}, code="too_many"
        )
    return [checked_file(upload) for upload in uploads]


def blob_path(file: IntakeFile) -> str:
    return f"{INTAKE_PREFIX}/{file.blob_name}"


@contextmanager
def blobs_removed_on_failure() -> Iterator[list[IntakeFile]]:
    """Collect the files a service stores; if the service then fails (its rows roll back), remove their blobs."""
    stored: list[IntakeFile] = []
    try:
        yield stored
    except BaseException:
        _delete_blobs([file.blob_name for file in stored])
        raise


def intake_files_store(
    *,
    submission: IntakeSubmission,
    message: IntakeMessage | None,
    checked: Iterable[CheckedFile],
    into: list[IntakeFile],
) -> list[IntakeFile]:
    """Write the rows and the encrypted blobs of checked files inside the caller's transaction, adding each to
    `into` as its blob is written (the list of `blobs_removed_on_failure`); return the files stored."""
    stored: list[IntakeFile] = []
    for item in checked:
        file = IntakeFile(
            organisation_id=submission.organisation_id,
            submission=submission,
            message=message,
            filename=item.filename,
            sha256=hashlib.sha256(item.content).hexdigest(),
            content_type=item.content_type,
            size=len(item.content),
            blob_name=uuid.uuid4().hex,
        )
        sealed = keyring().encrypt(item.content, binding(IntakeFile, "blob", file.pk))
        default_storage.save(blob_path(file), ContentFile(sealed))
        into.append(file)
        stored.append(file)
        file.save(force_insert=True)
    return stored


def intake_file_read(file: IntakeFile) -> bytes:
    """Decrypt a stored file and check it against its digest (the caller authorises and audits)."""
    try:
        with default_storage.open(blob_path(file), "rb") as blob:
            data = keyring().decrypt(blob.read(), binding(IntakeFile, "blob", file.pk))
    except (DecryptionError, OSError) as error:
        raise ValidationError(_("The stored file cannot be opened."), code="unreadable") from error
    if hashlib.sha256(data).hexdigest() != file.sha256:
        raise ValidationError(_("The stored file does not match the digest recorded at intake."), code="digest")
    return data


def _delete_blobs(blob_names: Iterable[str]) -> None:
    for name in blob_names:
        path = f"{INTAKE_PREFIX}/{name}"
        if default_storage.exists(path):
            default_storage.delete(path)


def blobs_delete_on_commit(blob_names: Iterable[str]) -> None:
    """Remove these blobs once the deletion of their rows has committed (a rollback keeps them)."""
    names = list(blob_names)
    if names:
        transaction.on_commit(lambda: _delete_blobs(names))
