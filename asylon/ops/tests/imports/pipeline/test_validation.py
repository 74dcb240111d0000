"""Row parsing: a birth date and a birth year on one row must agree, in either column order."""

from __future__ import annotations

import datetime

import pytest

from asylon.ops.imports.validation import RowParser

MAPPING = {"Name": "person.family_name", "Born": "person.birth_date", "Year": "person.birth_year"}


@pytest.mark.parametrize("headers", [["Name", "Born", "Year"], ["Name", "Year", "Born"]])
def test_birth_date_and_year_must_agree(organisation, headers):
    parser = RowParser(headers=headers, mapping=MAPPING, organisation=organisation, day_first=True)
    cells = {"Name": "Іваноў", "Born": "17.08.1990", "Year": "1990"}
    agreeing = parser.parse(2, [cells[header] for header in headers])
    assert agreeing.problems == []
    assert agreeing.person == {"family_name": "Іваноў", "birth_date": datetime.date(1990, 8, 17), "birth_year": 1990}
    cells["Year"] = "1991"
    row = parser.parse(3, [cells[header] for header in headers])
    assert [column for column, _reason in row.problems] == [headers[2]]
    assert "disagree" in row.problems[0][1]
