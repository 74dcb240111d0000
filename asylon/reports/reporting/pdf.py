"""A report as PDF: WeasyPrint through asylon.common.pdf (nothing fetched but the app's static files),
with a cover, page numbers, real footnotes and the charts as inline SVG."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.safestring import mark_safe

from asylon.common.pdf import render_pdf

if TYPE_CHECKING:
    from asylon.reports.reporting.engine import BuiltReport


def report_pdf(built: BuiltReport) -> bytes:
    """The PDF bytes of a built report (its errors, if any, are shown where they occurred)."""
    return render_pdf(
        "reports/reporting/report_pdf.html",
        {"built": built, "body": mark_safe(built.print_html)},  # noqa: S308  # nosec B308 B703 - nh3 in html.py
    )
