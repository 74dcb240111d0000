"""What a file really is: its type sniffed from the bytes, checked against an allow-list.

The name's extension and the type the browser declared must both agree with what the bytes say;
anything else is refused (docs/security/documents.md). Office documents are recognised only to be
refused with a useful message: they carry authors, edit history and comments that stripping the
document properties would not remove.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class AllowedType:
    """A kind of file Asylon keeps: its media type, the extensions and declared types that agree with it."""

    kind: str  # how sanitise.py treats it: pdf, image, text
    media_type: str
    extensions: frozenset[str]
    declared: frozenset[str]  # media types a browser may declare for it (aliases included)


ALLOWED: tuple[AllowedType, ...] = (
    AllowedType("pdf", "application/pdf", frozenset({".pdf"}), frozenset({"application/pdf", "application/x-pdf"})),
    AllowedType(
        "image", "image/jpeg", frozenset({".jpg", ".jpeg"}), frozenset({"image/jpeg", "image/jpg", "image/pjpeg"})
    ),
    AllowedType("image", "image/png", frozenset({".png"}), frozenset({"image/png", "image/x-png"})),
    AllowedType("image", "image/webp", frozenset({".webp"}), frozenset({"image/webp"})),
    AllowedType("text", "text/plain", frozenset({".txt"}), frozenset({"text/plain"})),
)
BY_MEDIA_TYPE = {allowed.media_type: allowed for allowed in ALLOWED}

OFFICE_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/rtf",
    }
)
OFFICE_EXTENSIONS = frozenset({".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".doc", ".xls", ".ppt", ".rtf"})
# Text may hold tabs, line and page breaks; other control characters mean it is not plain text.
TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r\f")


def refusal(message: str, code: str) -> ValidationError:
    """A refusal of the uploaded file, named by the service's argument for its bytes."""
    return ValidationError({"data": ValidationError(message, code=code)})


def accepted_extensions() -> str:
    """The accepted extensions, for the file input's `accept` attribute and messages."""
    return ",".join(sorted(extension for allowed in ALLOWED for extension in allowed.extensions))


def _is_plain_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any(ord(char) < 32 and char not in TEXT_CONTROLS_ALLOWED for char in text) and "\x7f" not in text


def sniffed_type(data: bytes) -> str | None:
    """The media type the bytes show (their magic number; UTF-8 text without control characters), or None."""
    guess = filetype.guess(data)
    if guess is not None:
        return str(guess.mime)
    return "text/plain" if _is_plain_text(data) else None


def checked_type(*, data: bytes, filename: str, declared_type: str) -> AllowedType:
    """The allowed type of an upload whose bytes, extension and declared type agree; ValidationError otherwise."""
    extension = os.path.splitext(filename)[1].lower()
    sniffed = sniffed_type(data)
    if sniffed in OFFICE_TYPES or extension in OFFICE_EXTENSIONS:
        raise refusal(
            _(
                "Office documents are not accepted because they keep authors, comments and earlier versions "
                "inside them. Save the document as PDF and upload the PDF."
            ),
            "office",
        )
    allowed = BY_MEDIA_TYPE.get(sniffed or "")
    if allowed is None:
        raise refusal(
            _("This kind of file is not accepted. Accepted files: PDF, JPEG, PNG, WebP and plain text."), "type"
        )
    declared = declared_type.split(";", 1)[0].strip().lower()
    if extension not in allowed.extensions or declared not in allowed.declared:
        raise refusal(
            _(
                "The file's name or declared type does not match its content, which is %(kind)s. "
                "Rename the file with the extension %(extension)s and upload it again."
            )
            % {"kind": allowed.media_type, "extension": min(allowed.extensions, key=len)},
            "mismatch",
        )
    return allowed
