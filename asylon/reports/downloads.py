"""A built report as a file: the formats offered (page downloads and `asylon report`) and their renderers."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string

from asylon.reports.reporting.engine import BuiltReport, report_docx, report_html_page, report_markdown, report_pdf


def report_html_file(built: BuiltReport) -> str:
    """A standalone HTML document: the in-app fragment (a SafeString, sanitised by the engine) with styles."""
    return render_to_string("reports/report_file.html", {"built": built, "page": report_html_page(built)})


@dataclasses.dataclass(frozen=True)
class FileFormat:
    extension: str
    content_type: str
    render: Callable[[BuiltReport], Any]


FORMATS = {
    file_format.extension: file_format
    for file_format in (
        FileFormat("pdf", "application/pdf", report_pdf),
        FileFormat("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", report_docx),
        FileFormat("md", "text/markdown; charset=utf-8", report_markdown),
        FileFormat("html", "text/html; charset=utf-8", report_html_file),
    )
}


def report_file(built: BuiltReport, extension: str) -> bytes:
    """The built report rendered in one of FORMATS, as bytes (text formats in UTF-8)."""
    content = FORMATS[extension].render(built)
    return content.encode("utf-8") if isinstance(content, str) else bytes(content)
