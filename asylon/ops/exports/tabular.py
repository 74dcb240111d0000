"""The spreadsheet formats: a zip of one CSV per table, and an XLSX workbook of one sheet per table.

Every text cell is escaped against formula injection (ASVS 5.0 V1.2.10) with the reports' own
`formula_escaped` (a leading ' before = + - @ TAB CR NUL) and, in XLSX, written as a string cell,
never as a formula; numbers stay numbers. Lists and mappings (languages, grounds cited, contacts)
are written as JSON text, dates as ISO 8601, yes/no as true/false.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES

from asylon.ops.exports.rows import ExportData
from asylon.reports.exports import csv_text, formula_escaped

BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only with it
REPLACEMENT = "\ufffd"
# What XML 1.0 cannot carry (its Char production): control characters other than tab, line feed and
# carriage return, lone surrogates, U+FFFE and U+FFFF. openpyxl and lxml refuse them.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def flat(value: Any) -> str | int | float:
    """A value as one spreadsheet cell: numbers as numbers, everything else as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def zip_member(name: str, when: datetime.datetime) -> zipfile.ZipInfo:
    member = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    member.compress_type = zipfile.ZIP_DEFLATED
    return member


def csv_zip(data: ExportData) -> bytes:
    """A zip holding `<table>.csv` per table: UTF-8 with a byte order mark, RFC 4180, formula-escaped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, table in data.tables.items():
            rows: list[list[object]] = [list(table.columns)]
            rows.extend([flat(row[column]) for column in table.columns] for row in table.rows)
            archive.writestr(zip_member(f"{name}.csv", data.exported_at), (BOM + csv_text(rows)).encode("utf-8"))
    return buffer.getvalue()


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """One cell's value: a number, or the formula-escaped text as a string cell.

    openpyxl takes text starting with = for a formula and "#N/A" and the like for error values; the
    escape puts a ' before a formula, and an error-like text is given as a cell typed string. Any
    other text openpyxl types as a string itself (plain values write twice as fast as cell objects).
    Characters XML 1.0 cannot carry become U+FFFD.
    """
    shown = flat(value)
    if isinstance(shown, int | float):
        return shown
    text = NOT_XML.sub(REPLACEMENT, formula_escaped(shown))
    if text not in ERROR_CODES:
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    return cell


def xlsx(data: ExportData) -> bytes:
    """A workbook with one sheet per table (header row, then one row per record)."""
    workbook = Workbook(write_only=True)
    for name, table in data.tables.items():
        sheet = workbook.create_sheet(title=name)
        sheet.append([xlsx_cell(sheet, column) for column in table.columns])
        for row in table.rows:
            sheet.append([xlsx_cell(sheet, row[column]) for column in table.columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
