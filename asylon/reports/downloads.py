"""A built report as a file: the formats offered (page downloads and `asylon report`) and their renderers."""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True)
class FileFormat:
    extension: str
    content_type: str
    renderer: str  # the engine's function in asylon.reports.reporting


FORMATS = {
    file_format.extension: file_format
    for file_format in (
        FileFormat("pdf", "application/pdf", "report_pdf"),
        FileFormat("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "report_docx"),
        FileFormat("md", "text/markdown; charset=utf-8", "report_markdown"),
        FileFormat("html", "text/html; charset=utf-8", "report_html_page"),
    )
}


def report_file(built: Any, extension: str) -> bytes:
    """The built report rendered in one of FORMATS, as bytes (text formats in UTF-8)."""
    from asylon.reports import reporting

    content = getattr(reporting, FORMATS[extension].renderer)(built)
    return content.encode("utf-8") if isinstance(content, str) else bytes(content)
