"""Documents: intake (type checked, metadata stripped, both digests, encrypted blob) and audited access."""

from __future__ import annotations

import hashlib
import os
import unicodedata
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import Case, Event
from asylon.common.crypto.keyring import DecryptionError
from asylon.evidence.models import CustodyAction, CustodyEntry, Document
from asylon.evidence.sanitise import stripped
from asylon.evidence.sniffing import checked_type
from asylon.evidence.storage import blob_delete, blob_read, blob_write
from asylon.people.models import Person
from asylon.people.services_consent import casework_allowed

FILENAME_MAX = 255
CONTENT_PURPOSES = frozenset({CustodyAction.DOWNLOADED, CustodyAction.EXPORTED})


def _custody(*, actor: Any, document: Document, action: str) -> None:
    CustodyEntry.objects.create(organisation=document.organisation, document=document, actor=actor, action=action)


def clean_filename(filename: str) -> str:
    """The file's own name without any folder, control characters or surrounding blanks, at most 255 characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip().strip(".")
    if not name:
        raise ValidationError({"filename": _("The file has no name. Give it a name and upload it again.")})
    stem, extension = os.path.splitext(name)
    return stem[: FILENAME_MAX - len(extension)] + extension


def _check_links(case: Case, person: Person | None, event: Event | None) -> None:
    if person is not None and not case.parties.filter(person=person).exists():
        raise ValidationError({"person": _("This person is not a party to the case.")})
    if event is not None and event.case_id != case.pk:
        raise ValidationError({"event": _("This event belongs to another case.")})


@transaction.atomic
def document_store(
    *,
    actor: Any,
    case: Case,
    data: bytes,
    filename: str,
    content_type: str,
    description: str = "",
    person: Person | None = None,
    event: Event | None = None,
) -> Document:
    """Store a document for a case: type checked, metadata stripped, both digests recorded, content encrypted."""
    require(actor, "evidence.change_document", case)
    _check_links(case, person, event)
    casework_allowed(person=person if person is not None else (event.person_id if event is not None else None))
    if not data:
        raise ValidationError({"data": _("The file is empty.")})
    limit = settings.ASYLON_MAX_DOCUMENT_BYTES
    if len(data) > limit:
        raise ValidationError(
            {"data": _("The file is larger than the limit of %(limit)s MB.") % {"limit": round(limit / 1_048_576, 1)}}
        )
    name = clean_filename(filename)
    allowed = checked_type(data=data, filename=name, declared_type=content_type)
    content = stripped(data, allowed)
    document = Document(
        organisation=case.organisation,
        case=case,
        person=person,
        event=event,
        filename=name,
        description=description,
        received_sha256=hashlib.sha256(data).hexdigest(),
        sha256=hashlib.sha256(content).hexdigest(),
        content_type=allowed.media_type,
        size=len(content),
        blob_name=uuid.uuid4().hex,
        uploaded_by=actor,
    )
    document.full_clean()
    blob_write(document, content)
    try:
        document.save()
        _custody(actor=actor, document=document, action=CustodyAction.RECEIVED)
        audit.record(
            actor=actor,
            action="document.store",
            target=document,
            details={
                "content_type": allowed.media_type,
                "size": len(content),
                "received_size": len(data),
                "metadata_stripped": content != data,
            },
        )
    except Exception:
        blob_delete(document)
        raise
    return document


@transaction.atomic
def document_content(*, actor: Any, document: Document, purpose: str = CustodyAction.DOWNLOADED) -> bytes:
    """Decrypt a document for someone allowed to read it; custody and audit record the access."""
    # Readers of the case whose clearance reaches CONFIDENTIAL (not viewers or auditors).
    require(actor, "evidence.download_document", document.case)
    if purpose not in CONTENT_PURPOSES:
        raise ValueError(f"unknown custody purpose {purpose!r}")
    try:
        data = blob_read(document)
    except (DecryptionError, OSError) as error:  # missing, damaged, or another document's file put in its place
        raise ValidationError(_("The stored file cannot be opened."), code="unreadable") from error
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise ValidationError(_("The stored file does not match the digest recorded at intake."), code="digest")
    _custody(actor=actor, document=document, action=purpose)
    audit.record(actor=actor, action=f"document.{purpose}", target=document)
    return data
