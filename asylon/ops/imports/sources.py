"""Reading an uploaded CSV or XLSX file into a header row and data rows, safely and within limits.

XLSX: the zip's declared sizes are checked before anything is decompressed (a zip bomb is refused
unopened), openpyxl reads in read-only mode and parses XML through defusedxml (no entities, no
external references). CSV: UTF-8 with or without BOM, else cp1251; the delimiter is sniffed among
comma, semicolon and tab. Every failure is a `SourceError` with a translated message.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.xml import DEFUSEDXML

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200  # a real sheet compresses about 5 to 20 times; a bomb thousands of times
# A workbook holds a few dozen parts (sheets, styles, shared strings, a few images). zipfile reads the
# whole central directory into objects on opening, so the count is checked before it is opened.
MAX_ZIP_ENTRIES = 1_000
END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"
END_RECORD_BYTES = 22
MAX_ZIP_COMMENT_BYTES = 65_535
MAX_ROWS = 500_000
MAX_COLUMNS = 200
MAX_CELL_CHARACTERS = 10_000
DELIMITERS = ",;\t"
Cell = str | int | float | datetime.date | datetime.datetime | None


class SourceError(ValidationError):
    """The file cannot be read as a table (the message says why, in the user's language)."""


@dataclass(frozen=True)
class Limits:
    upload_bytes: int = MAX_UPLOAD_BYTES
    uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES
    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    cell_characters: int = MAX_CELL_CHARACTERS


def limits() -> Limits:
    """The limits in force (settings.ASYLON_IMPORT_LIMITS may lower or raise them)."""
    return Limits(**getattr(settings, "ASYLON_IMPORT_LIMITS", {}))


@dataclass
class Table:
    """A sheet: its header row and its data rows (cells as read; row i is sheet row i + 2)."""

    headers: list[str]
    rows: list[list[Cell]]


def file_format_of(name: str, data: bytes) -> str:
    """ "xlsx" for a zip container (whatever the name says), "csv" otherwise; unknown binaries are refused."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if name.lower().endswith((".xls", ".xlsx", ".xlsm", ".ods")):
        raise SourceError(_("This file is not a readable XLSX workbook. Save it as .xlsx or .csv and try again."))
    return "csv"


def table_read(data: bytes, file_format: str, *, within: Limits | None = None) -> Table:
    """The table of a CSV or XLSX file, or SourceError."""
    within = within or limits()
    if len(data) > within.upload_bytes:
        raise SourceError(
            _("The file is larger than %(megabytes)s MB. Split it and import the parts.")
            % {"megabytes": within.upload_bytes // (1024 * 1024)}
        )
    rows = _xlsx_rows(data, within) if file_format == "xlsx" else _csv_rows(data)
    return _table(rows, within)


def _table(rows: Iterator[list[Cell]], within: Limits) -> Table:
    header = next(rows, None)
    if header is None:
        raise SourceError(_("The file is empty: the first row must name the columns."))
    headers = [_text(cell).strip() for cell in header]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise SourceError(_("The first row must name the columns; it is empty."))
    if len(headers) > within.columns:
        raise SourceError(_("The file has more than %(count)s columns.") % {"count": within.columns})
    blank = [number for number, header in enumerate(headers, start=1) if not header]
    if blank:
        raise SourceError(_("Column %(number)s has no name in the first row.") % {"number": blank[0]})
    if len(set(headers)) != len(headers):
        raise SourceError(_("Two columns have the same name; give each column its own name."))
    width = len(headers)
    table: list[list[Cell]] = []
    for number, row in enumerate(rows, start=2):
        if any(cell not in (None, "") for cell in row[width:]):
            raise SourceError(_("Row %(row)s has values beyond the named columns.") % {"row": number})
        cells = [*row[:width], *([None] * (width - len(row)))]
        for column, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > within.cell_characters:
                raise SourceError(
                    _("Row %(row)s, column “%(column)s”: a cell holds more than %(count)s characters.")
                    % {"row": number, "column": headers[column], "count": within.cell_characters}
                )
        table.append(cells)
        if len(table) > within.rows:
            raise SourceError(_("The file has more than %(count)s rows. Split it.") % {"count": within.rows})
    while table and all(cell in (None, "") or (isinstance(cell, str) and not cell.strip()) for cell in table[-1]):
        table.pop()
    return Table(headers=headers, rows=table)


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell)


def _decoded(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Windows Excel in Belarus, Russia and Ukraine saves CSV in cp1251; anything that is neither fails.
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError as error:
        raise SourceError(_("The file's text encoding is not UTF-8 or Windows-1251. Save it as UTF-8 CSV.")) from error
    if "\x00" in text:
        raise SourceError(_("This is not a text file. Import a CSV or an XLSX file."))
    return text


def _csv_rows(data: bytes) -> Iterator[list[Cell]]:
    text = _decoded(data)
    if "\x00" in text:
        raise SourceError(_("This is not a text file. Import a CSV or an XLSX file."))
    first_line = text[: text.find("\n")] if "\n" in text else text
    try:
        dialect: Any = csv.Sniffer().sniff(first_line, delimiters=DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=True)
    try:
        for row in reader:
            yield list(row)
    except csv.Error as error:
        raise SourceError(
            _("The CSV file is malformed near line %(line)s (an unclosed quote?).") % {"line": reader.line_num}
        ) from error


def _declared_entries(data: bytes) -> int | None:
    """The number of entries the zip's end-of-central-directory record declares (None without one)."""
    tail = data[-(END_RECORD_BYTES + MAX_ZIP_COMMENT_BYTES) :]
    at = tail.rfind(END_OF_CENTRAL_DIRECTORY)
    if at < 0 or len(tail) - at < END_RECORD_BYTES:
        return None
    return int.from_bytes(tail[at + 10 : at + 12], "little")


def _checked_zip(data: bytes, within: Limits) -> None:
    """Refuse a zip whose declared entries or sizes exceed the limits, before decompressing anything."""
    entries = _declared_entries(data)
    if entries is None:
        raise SourceError(_("This file is not a readable XLSX workbook. Save it again as .xlsx."))
    if entries > MAX_ZIP_ENTRIES:  # also a ZIP64 archive (0xFFFF here), which no workbook needs
        raise SourceError(_("The workbook holds far more parts than a spreadsheet has; it was not opened."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise SourceError(_("This file is not a readable XLSX workbook. Save it again as .xlsx.")) from error
    with archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        ratios = (info.file_size / max(info.compress_size, 1) for info in infos)
        if total > within.uncompressed_bytes or any(ratio > MAX_COMPRESSION_RATIO for ratio in ratios):
            raise SourceError(_("The workbook unpacks to far more data than a spreadsheet holds; it was not opened."))


def _xlsx_rows(data: bytes, within: Limits) -> Iterator[list[Cell]]:
    if not DEFUSEDXML:  # openpyxl falls back to the standard library parser without it
        raise SourceError(_("Reading XLSX files is not available on this server."))
    _checked_zip(data, within)
    from openpyxl import load_workbook  # imported late: heavy, and only XLSX imports need it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for malformed workbooks; none may become a 500
        raise SourceError(_("This file is not a readable XLSX workbook. Save it again as .xlsx.")) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise SourceError(_("The workbook has no sheet."))
        try:
            for row in sheet.iter_rows(values_only=True, max_col=within.columns + 1):
                yield [_cell(value) for value in row]
        except SourceError:
            raise
        except Exception as error:  # a corrupt sheet part fails only when read
            raise SourceError(_("This file is not a readable XLSX workbook. Save it again as .xlsx.")) from error
    finally:
        workbook.close()


def _cell(value: Any) -> Cell:
    if value is None or isinstance(value, (str, int, float, datetime.date)):
        return value
    return str(value)  # times and durations: kept as text, reported if a date was expected
