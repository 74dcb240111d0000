"""table_csv: the question, the rule and the as-of time on top; suppressed counts empty with their
status; every field escaped against formula injection (ASVS 5.0 V1.2.10)."""

from __future__ import annotations

import csv
import io

import pytest

from asylon.reports.exports import csv_text, formula_escaped, table_csv
from asylon.reports.tests.protected_tables import one_way, total_only, two_way
from tests.naughty import naughty_strings


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\0x", '=HYPERLINK("http://x")'])
def test_formula_starts_get_a_quote(value):
    assert formula_escaped(value) == "'" + value


@pytest.mark.parametrize("value", ["Belarus", "2023", "", "a=b", "'already", 12, None])
def test_other_values_are_left_alone(value):
    assert formula_escaped(value) == ("" if value is None else str(value))


def test_naughty_strings_survive_the_round_trip_escaped():
    strings = naughty_strings()
    rows = parsed(csv_text([[value] for value in strings]))
    assert len(rows) == len(strings)
    for (field,), original in zip(rows, strings, strict=True):
        assert field == formula_escaped(original)
        assert not field.startswith(("=", "+", "-", "@", "\t", "\r", "\0"))


def test_two_way_table_csv_states_its_question_rule_and_time():
    rows = parsed(table_csv(two_way(), caption="Threats by year and citizenship"))
    assert rows[0] == ["Question", "Threats by year and citizenship"]
    assert rows[1][0] == "Disclosure rule" and "below 5 people" in rows[1][1]
    assert rows[2] == ["As of", "2026-11-26T12:00:00+00:00"]
    header = rows[rows.index([]) + 1]
    assert header == ["Year", "Citizenship", "People", "Status"]
    body = rows[rows.index(header) + 1 :]
    assert ["2022", "Russia", "", "suppressed"] in body
    assert ["2023", "Belarus", "40", "published"] in body
    assert ["2023", "All", "49", "published"] in body  # a row total
    assert ["All", "Russia", "17", "published"] in body  # a column total
    assert body[-1] == ["All", "All", "72", "published"]
    assert len(body) == 6 + 3 + 2 + 1


def test_one_way_and_total_only_tables():
    body = parsed(table_csv(one_way(), caption="Bans"))
    assert ["8 to 30 days", "", "suppressed"] in body
    assert "rounded to the nearest 5" in body[1][1]
    assert parsed(table_csv(total_only(), caption="Detained"))[-1] == ["25", "published"]


def test_a_naughty_caption_is_escaped():
    rows = parsed(table_csv(two_way(), caption="=cmd|' /C calc'!A0"))
    assert rows[0][1] == "'=cmd|' /C calc'!A0"
