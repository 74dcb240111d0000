"""Test files made in code: images with EXIF and GPS, PDFs with author metadata and scripts."""

from __future__ import annotations

import io
import zipfile

import pikepdf
from PIL import Image

AUTHOR = "Ivan Testovich"
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size: tuple[int, int] = (40, 20)) -> bytes:
    """A JPEG whose EXIF holds a camera make, GPS coordinates and a 90° orientation, plus a comment."""
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (54.0, 41.0, 0.0), 3: "E", 4: (25.0, 17.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "JPEG", exif=exif.tobytes(), comment=AUTHOR.encode())
    return buffer.getvalue()


def png(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, (10, 200, 30, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_with_metadata() -> bytes:
    """A one-page PDF with /Info Author, XMP dc:creator, an OpenAction script and an embedded file."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = AUTHOR
    pdf.docinfo["/Creator"] = "Secret Scanner 3000"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [AUTHOR]
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"attached secret")
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def plain_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def docx() -> bytes:
    """A minimal DOCX-shaped archive with core properties naming an author."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr(
            "docProps/core.xml", f"<cp:coreProperties><dc:creator>{AUTHOR}</dc:creator></cp:coreProperties>"
        )
    return buffer.getvalue()


def stored_blobs(media) -> list[str]:
    """The names of the encrypted files in the test's private storage."""
    documents = media / "documents"
    return sorted(path.name for path in documents.iterdir()) if documents.exists() else []
