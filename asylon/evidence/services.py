"""Writes for documents and sources: store encrypted, record custody, audit."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import Case, Event
from asylon.evidence.models import CustodyAction, CustodyEntry, Document
from asylon.evidence.storage import blob_delete, blob_read, blob_write
from asylon.people.models import Person


def _custody(*, actor: Any, document: Document, action: str) -> None:
    CustodyEntry.objects.create(organisation=document.organisation, document=document, actor=actor, action=action)


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
    """Store a document for a case: digest recorded at intake, content encrypted, custody begun."""
    require(actor, "evidence.change_document", case)
    if len(data) > settings.ASYLON_MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {"data": _("The file is larger than %(limit)s bytes.") % {"limit": settings.ASYLON_MAX_DOCUMENT_BYTES}}
        )
    if not data:
        raise ValidationError({"data": _("The file is empty.")})
    document = Document(
        organisation=case.organisation,
        case=case,
        person=person,
        event=event,
        filename=filename,
        description=description,
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=content_type,
        size=len(data),
        blob_name=uuid.uuid4().hex,
        uploaded_by=actor,
    )
    document.full_clean()
    blob_write(document, data)
    try:
        document.save()
        _custody(actor=actor, document=document, action=CustodyAction.RECEIVED)
        audit.record(actor=actor, action="document.store", target=document)
    except Exception:
        blob_delete(document)
        raise
    return document


@transaction.atomic
def document_content(*, actor: Any, document: Document, purpose: str = CustodyAction.DOWNLOADED) -> bytes:
    """Decrypt a document for someone allowed to see it; custody and audit record the access."""
    require(actor, "evidence.view_document", document.case)
    data = blob_read(document)
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise ValidationError(_("The stored file does not match the digest recorded at intake."))
    _custody(actor=actor, document=document, action=purpose)
    audit.record(actor=actor, action=f"document.{purpose}", target=document)
    return data
