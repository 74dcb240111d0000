"""Reading files: CSV encodings and delimiters; XLSX normal, zip bombs, XML entity attacks, limits, corruption."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from asylon.ops.imports.sources import MAX_ZIP_ENTRIES, Limits, SourceError, file_format_of, table_read
from asylon.ops.tests.imports.conftest import csv_bytes

HEADERS = ["Фамилия", "Имя", "Дата"]
ROWS = [["Іваноў", "Сяргей", "17.08.2023"], ["Шевченко", "Олена", "2023"]]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_csv_encodings_and_delimiters(delimiter, encoding):
    rows = ROWS if encoding != "cp1251" else [["Иванов", "Сергей", "17.08.2023"]]
    table = table_read(csv_bytes(HEADERS, rows, delimiter=delimiter, encoding=encoding), "csv")
    assert table.headers == HEADERS
    assert table.rows == rows


def test_csv_quoted_cells_keep_delimiters_and_line_breaks():
    data = b'a;b\n"x;y";"line\nbreak"\n'
    assert table_read(data, "csv").rows == [["x;y", "line\nbreak"]]


def test_csv_short_rows_are_padded_and_trailing_blank_rows_dropped():
    table = table_read(b"a,b,c\n1\n,,\n", "csv")
    assert table.rows == [["1", None, None]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"a,,c\n1,2,3\n", "Column 2 has no name"),
        (b"a,a\n1,2\n", "same name"),
        (b"a,b\n1,2,3\n", "beyond the named columns"),
        (b'a,b\n"1,2\n', "malformed"),
        (b"\x00\x01\x02\xff\xfe", "not a text file"),
    ],
)
def test_bad_csv_files(data, message):
    with pytest.raises(SourceError, match=message):
        table_read(data, "csv")


def workbook_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_reads_cells_with_their_types():
    data = workbook_bytes([HEADERS, ["Іваноў", "Сяргей", datetime.datetime(2023, 8, 17)], ["Ivanou", None, 2023]])
    assert file_format_of("people.xlsx", data) == "xlsx"
    table = table_read(data, "xlsx")
    assert table.headers == HEADERS
    assert table.rows == [["Іваноў", "Сяргей", datetime.datetime(2023, 8, 17)], ["Ivanou", None, 2023]]


def test_xlsx_zip_bomb_is_refused_unopened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (50 * 1024 * 1024))
    with pytest.raises(SourceError, match="unpacks to far more data"):
        table_read(buffer.getvalue(), "xlsx")


def test_xlsx_with_too_many_parts_is_refused_before_its_directory_is_read(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(MAX_ZIP_ENTRIES):
            archive.writestr(f"xl/media/{number}", b"")
    opened = []
    monkeypatch.setattr(zipfile, "ZipFile", lambda *args, **kwargs: opened.append(args))
    with pytest.raises(SourceError, match="far more parts"):
        table_read(buffer.getvalue(), "xlsx")
    assert opened == []


def test_a_file_without_a_zip_directory_is_not_a_workbook():
    with pytest.raises(SourceError, match="not a readable XLSX"):
        table_read(b"PK\x03\x04 truncated", "xlsx")


def test_xlsx_over_the_uncompressed_limit_is_refused():
    data = workbook_bytes([HEADERS, *ROWS])
    with pytest.raises(SourceError, match="unpacks to far more data"):
        table_read(data, "xlsx", within=Limits(uncompressed_bytes=1000))


def _with_sheet_xml(sheet_xml: str) -> bytes:
    """A valid workbook whose first sheet's XML is replaced."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([HEADERS, *ROWS])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = sheet_xml.encode() if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            archive.writestr(info.filename, data)
    return buffer.getvalue()


SHEET_START = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
XXE = (
    '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'{SHEET_START}<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    f'{SHEET_START}<row r="1"><c r="A1" t="inlineStr"><is><t>&d;</t></is></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize("sheet_xml", [XXE, LAUGHS], ids=["external-entity", "billion-laughs"])
def test_xlsx_xml_entities_are_refused(sheet_xml):
    with pytest.raises(SourceError, match="not a readable XLSX"):
        table_read(_with_sheet_xml(sheet_xml), "xlsx")


def test_openpyxl_parses_through_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


def test_too_many_rows_columns_or_characters():
    data = workbook_bytes([HEADERS, *ROWS, *ROWS])
    with pytest.raises(SourceError, match="more than 3 rows"):
        table_read(data, "xlsx", within=Limits(rows=3))
    with pytest.raises(SourceError, match="more than 2 columns"):
        table_read(data, "xlsx", within=Limits(columns=2))
    with pytest.raises(SourceError, match="more than 5 characters"):
        table_read(data, "xlsx", within=Limits(cell_characters=5))
    with pytest.raises(SourceError, match="larger than"):
        table_read(data, "xlsx", within=Limits(upload_bytes=100))


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 this is not a zip", workbook_bytes([HEADERS])[:-200], b"PK\x03\x04" + bytes(range(256)) * 10],
)
def test_corrupt_xlsx(data):
    with pytest.raises(SourceError, match="not a readable XLSX"):
        table_read(data, "xlsx")


def test_old_excel_files_are_refused_by_name():
    with pytest.raises(SourceError, match="not a readable XLSX"):
        file_format_of("people.xls", b"\xd0\xcf\x11\xe0 legacy")
