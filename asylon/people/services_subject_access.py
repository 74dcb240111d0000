"""Answering a subject access request (GDPR Art. 15): everything held about one person, readable (HTML or PDF)
and machine-readable (JSON), optionally with their document files, in one zip encrypted with age.

Built in memory within the request, like exports (docs/exports.md): nothing is written to disk. Each document
file included is read through `document_content`, so its chain of custody records the export.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

import pyrage
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asylon.accounts.permissions import require
from asylon.audit import reads
from asylon.audit import services as audit
from asylon.common.pdf import render_pdf
from asylon.evidence.models import CustodyAction, Document
from asylon.evidence.services.documents import clean_filename, document_content
from asylon.ops.exports.age import FILE_SUFFIX, passphrase_checked, recipients_from_text, sealed
from asylon.people.models import Person
from asylon.people.subject_access import Section, as_json, subject_access_data

TEMPLATE = "people/subject_access/report.html"


class ReadableFormat(models.TextChoices):
    HTML = "html", gettext_lazy("web page (HTML)")
    PDF = "pdf", gettext_lazy("PDF")


@dataclass(frozen=True)
class SubjectAccessFile:
    """The encrypted answer ready to download: its file name, its age bytes, the records per section."""

    filename: str
    content: bytes
    counts: dict[str, int]


def _document_ids(sections: list[Section]) -> list[str]:
    ids: list[str] = []
    for section in sections:
        if section.key == "cases":
            for case in section.records:
                ids.extend(item["data"]["id"] for item in case["children"]["documents"])
    return ids


def _privileged_notes(sections: list[Section]) -> int:
    """How many privileged (lawyer-only) notes the answer holds: the audit entry says so."""
    return sum(
        1
        for section in sections
        if section.key == "cases"
        for case in section.records
        for note in case["children"]["notes"]
        if note["data"]["privileged"]
    )


def _readable(fmt: str, context: dict[str, Any]) -> tuple[str, bytes]:
    if fmt == ReadableFormat.PDF:
        return "subject-access.pdf", render_pdf(TEMPLATE, {**context, "for_pdf": True})
    return "subject-access.html", render_to_string(TEMPLATE, context).encode()


@transaction.atomic
def subject_access_export(
    *,
    actor: Any,
    person: Person,
    fmt: str,
    include_files: bool = False,
    passphrase: str = "",
    recipients: str = "",
) -> SubjectAccessFile:
    """Everything held about a person in a zip (readable file, JSON, optionally the documents), encrypted with
    age to a passphrase or to recipients' public keys; audited, and each included file enters its custody."""
    require(actor, "people.export_subject_access", person)
    if fmt not in ReadableFormat.values:
        raise ValidationError({"fmt": _("Choose the format of the readable file.")})
    if bool(passphrase) == bool(recipients.strip()):
        raise ValidationError(_("Give either a passphrase or recipients' public keys."))
    keys = recipients_from_text(recipients) if recipients.strip() else None
    secret = passphrase_checked(passphrase) if passphrase else ""
    generated_at = timezone.now()
    sections = subject_access_data(person=person)
    counts = {section.key: len(section.records) for section in sections}
    buffer = io.BytesIO()
    files = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.json", as_json(sections, person=person, generated_at=generated_at))
        name, readable = _readable(
            fmt, {"sections": sections, "person_id": person.pk, "generated_at": generated_at, "files": include_files}
        )
        archive.writestr(name, readable)
        if include_files:
            for number, document in enumerate(Document.objects.filter(pk__in=_document_ids(sections)), start=1):
                data = document_content(actor=actor, document=document, purpose=CustodyAction.EXPORTED)
                archive.writestr(f"documents/{number:03d}-{clean_filename(document.filename or 'document')}", data)
                files += 1
    try:
        content = sealed(buffer.getvalue(), passphrase=secret, recipients=keys)
    except pyrage.EncryptError as error:
        raise ValidationError(_("The file could not be encrypted; nothing was exported. Try again.")) from error
    reads.note([person])
    audit.record(
        actor=actor,
        action="person.subject_access_export",
        target=person,
        details={
            "format": fmt,
            "files": files,
            "encryption": "passphrase" if secret else "recipients",
            "recipients": len(keys or []),
            "counts": counts,
            # Privileged notes are otherwise for lawyers only; an answer that holds them says so here.
            "privileged_notes": _privileged_notes(sections),
        },
    )
    stamp = generated_at.strftime("%Y%m%d-%H%M%S")
    return SubjectAccessFile(filename=f"subject-access-{stamp}.zip{FILE_SUFFIX}", content=content, counts=counts)
