"""The error file of a "valid rows only" import: the rejected rows with their original columns and a reason."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from asylon.ops.imports.validation import ParsedRow
from asylon.reports.exports import csv_text


def error_file_bytes(headers: list[str], rejected: list[tuple[ParsedRow, list[str]]]) -> bytes:
    """CSV (UTF-8 with BOM, so Excel reads Cyrillic): the header row plus "row" and "reason", then each row."""
    rows: list[list[Any]] = [[*headers, _("row"), _("reason")]]
    for row, reasons in rejected:
        rows.append([*("" if cell is None else cell for cell in row.cells), row.number, "; ".join(reasons)])
    return ("\ufeff" + csv_text(rows)).encode("utf-8")
