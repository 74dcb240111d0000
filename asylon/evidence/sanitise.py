"""Metadata stripping before a document is stored (docs/security/documents.md).

Images are decoded and re-encoded from their pixels alone with Pillow (the orientation applied
first), so EXIF with GPS, XMP, ICC profiles and comments stay behind. PDFs are rewritten by pikepdf
without the document information dictionary, XMP metadata streams, JavaScript, automatic actions
and embedded files. Plain text is kept as it came. A file that does not parse is refused.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from typing import Any

import pikepdf
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from asylon.evidence.sniffing import AllowedType, refusal

PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
JPEG_QUALITY = 95
# Keys whose values run code or act without the reader asking, in the catalogue and on pages.
ACTION_KEYS = ("/OpenAction", "/AA")
# Name trees of the catalogue's /Names dictionary that hold scripts or attached files.
REMOVED_NAME_TREES = ("/JavaScript", "/EmbeddedFiles")
# Annotation actions that run scripts or start programs.
DANGEROUS_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute"})


def _unreadable(kind: str) -> ValidationError:
    return refusal(
        _("The file could not be read as %(kind)s. It may be damaged; nothing was stored.") % {"kind": kind},
        "unreadable",
    )


def stripped_image(data: bytes, media_type: str) -> bytes:
    """The image re-encoded from its pixels only: orientation applied, every metadata block left behind."""
    target = PILLOW_FORMATS[media_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as source:
                if source.format != target:
                    raise _unreadable(media_type)
                return _reencoded(source, target)
    except ValidationError:
        raise
    except Exception:  # decoders raise many kinds on hostile input (and bombs raise); any means "cannot read"
        raise _unreadable(media_type) from None


def _reencoded(source: Image.Image, target: str) -> bytes:
    source.load()
    oriented = ImageOps.exif_transpose(source) or source
    # Only the pixels (and a palette's colours and PNG transparency) cross into the new image.
    clean = Image.frombytes(oriented.mode, oriented.size, oriented.tobytes())
    if oriented.mode in ("P", "PA") and (palette := oriented.getpalette()) is not None:
        clean.putpalette(palette)
    options: dict[str, Any] = {"quality": JPEG_QUALITY} if target in ("JPEG", "WEBP") else {}
    transparency = oriented.info.get("transparency")
    if target == "PNG" and isinstance(transparency, bytes | int | tuple):
        options["transparency"] = transparency
    if target == "JPEG" and clean.mode not in ("L", "RGB", "CMYK"):
        clean = clean.convert("RGB")
    output = io.BytesIO()
    clean.save(output, format=target, **options)
    return output.getvalue()


def _drop(dictionary: Any, *keys: str) -> None:  # a pikepdf Dictionary or Stream
    for key in keys:
        if key in dictionary:
            del dictionary[key]


def stripped_pdf(data: bytes) -> bytes:
    """The PDF rewritten without /Info, XMP, scripts, automatic actions and embedded files."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            root = pdf.Root
            _drop(root, *ACTION_KEYS)
            if "/Names" in root:
                _drop(root.Names, *REMOVED_NAME_TREES)
            for page in pdf.pages:
                _drop(page.obj, *ACTION_KEYS)
                for annotation in page.obj.get("/Annots", pikepdf.Array()):
                    if not isinstance(annotation, pikepdf.Dictionary):
                        continue
                    _drop(annotation, "/AA")
                    action = annotation.get("/A")
                    if isinstance(action, pikepdf.Dictionary) and action.get("/S") in DANGEROUS_ACTIONS:
                        del annotation["/A"]
                    if annotation.get("/Subtype") == pikepdf.Name.FileAttachment:
                        _drop(annotation, "/FS")
            # XMP streams and application data sit on the catalogue, pages, images and fonts alike.
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                    _drop(obj, "/Metadata", "/PieceInfo")
            output = io.BytesIO()
            pdf.save(output, fix_metadata_version=False, deterministic_id=True)
    except pikepdf.PasswordError:
        raise refusal(
            _("The PDF is protected by a password. Remove the password and upload it again."), "encrypted"
        ) from None
    except Exception:  # qpdf and pikepdf raise many kinds on hostile input; any of them means "cannot read"
        raise _unreadable("PDF") from None
    return output.getvalue()


def plain_text(data: bytes) -> bytes:
    """Plain text carries no metadata block; it was checked to be UTF-8 when sniffed and is kept as it came."""
    return data


STRIPPERS: dict[str, Callable[[bytes, str], bytes]] = {
    "image": stripped_image,
    "pdf": lambda data, media_type: stripped_pdf(data),
    "text": lambda data, media_type: plain_text(data),
}


def stripped(data: bytes, allowed: AllowedType) -> bytes:
    """The content to store: metadata removed for its kind, or ValidationError when it does not parse."""
    return STRIPPERS[allowed.kind](data, allowed.media_type)
