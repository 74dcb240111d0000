"""The Big List of Naughty Strings survives an export: JSON exactly, CSV and XLSX as escaped for spreadsheets."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from asylon.accounts.models import Role
from asylon.cases.models import Note
from asylon.ops.exports.tabular import NOT_XML
from asylon.ops.services.exports import export_create
from asylon.reports.exports import formula_escaped
from tests.naughty import naughty_strings

from .conftest import opened, unzipped

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_only]


@pytest.fixture
def naughty_notes(casefile):
    Note.objects.filter(case=casefile.own).delete()
    for text in naughty_strings():
        Note.objects.create(organisation=casefile.organisation, case=casefile.own, body=text)
    return {str(note.pk): note.body for note in Note.objects.filter(case=casefile.own)}


def exported(casefile, age_identity, export_format):
    result = export_create(
        actor=casefile.users[Role.CASEWORKER],
        organisation=casefile.organisation,
        export_format=export_format,
        recipients=str(age_identity.to_public()),
    )
    return opened(result.content, age_identity)


def test_json_keeps_every_string(casefile, age_identity, naughty_notes):
    document = json.loads(exported(casefile, age_identity, "json"))
    notes = {note["id"]: note["body"] for case in document["cases"] for note in case["notes"]}
    assert notes == naughty_notes


def test_csv_keeps_every_string_behind_the_formula_escape(casefile, age_identity, naughty_notes):
    text = unzipped(exported(casefile, age_identity, "csv"))["notes.csv"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert {row["id"]: row["body"] for row in rows} == {
        key: formula_escaped(body) for key, body in naughty_notes.items()
    }


def test_xlsx_keeps_every_string_as_text(casefile, age_identity, naughty_notes):
    sheet = load_workbook(io.BytesIO(exported(casefile, age_identity, "xlsx")))["notes"]
    header = [cell.value for cell in sheet[1]]
    cells = {row[0].value: row[header.index("body")] for row in sheet.iter_rows(min_row=2)}
    assert all(cell.data_type == "s" for cell in cells.values() if cell.value is not None)
    expected = {key: NOT_XML.sub("\ufffd", formula_escaped(body)) for key, body in naughty_notes.items()}
    # openpyxl writes no value for an empty string, and reads the cell back as None.
    assert {key: cell.value or "" for key, cell in cells.items()} == expected
