"""Dates as spreadsheets hold them: every common form, with its precision; round trips through formats."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asylon.common.models import DatePrecision
from asylon.ops.imports.dates import PartialDate, date_parse

DAY = PartialDate(DatePrecision.DAY, 2023, 8, 17)
MONTH = PartialDate(DatePrecision.MONTH, 2023, 8)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17.08.2023", DAY),
        ("2023-08-17", DAY),
        ("17/08/2023", DAY),
        ("17-08-2023", DAY),
        (" 17.08.2023 ", DAY),
        ("08/2023", MONTH),
        ("08.2023", MONTH),
        ("8.2023", MONTH),
        ("2023-08", MONTH),
        ("Aug 2023", MONTH),
        ("August 2023", MONTH),
        ("august 2023", MONTH),
        ("17 August 2023", DAY),
        ("August 17, 2023", DAY),
        ("17 августа 2023", DAY),
        ("17 августа 2023 г.", DAY),
        ("август 2023", MONTH),
        ("17 жніўня 2023", DAY),
        ("жнівень 2023", MONTH),
        ("17 серпня 2023 р.", DAY),
        ("серпень 2023", MONTH),
        ("2023 m. rugpjūčio 17 d.", DAY),
        ("rugpjūtis 2023", MONTH),
        ("2023", PartialDate(DatePrecision.YEAR, 2023)),
        (2023, PartialDate(DatePrecision.YEAR, 2023)),
        (45155, DAY),  # an Excel serial date
        (45155.75, DAY),  # with a time of day
        (datetime.datetime(2023, 8, 17, 14, 30), DAY),
        (datetime.date(2023, 8, 17), DAY),
    ],
)
def test_common_forms(text, expected):
    assert date_parse(text) == expected


@pytest.mark.parametrize(
    "text", ["", None, "abc", "31.02.2023", "17.08.23", "13/2023", "2023-13", "Aug", "Август", "1.2.3.4"]
)
def test_not_dates(text):
    assert date_parse(text) is None


def test_month_first_for_slashed_dates():
    assert date_parse("08/17/2023", day_first=False) == DAY
    assert date_parse("08/17/2023") is None  # day first: month 17 does not exist
    assert date_parse("17.08.2023", day_first=False) == DAY  # dotted dates are always day first


def test_values_keep_their_precision():
    assert DAY.value == datetime.date(2023, 8, 17)
    assert MONTH.value is None and MONTH.first_day == datetime.date(2023, 8, 1)


dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))
DAY_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%B %d, %Y", "%d %b %Y")
MONTH_FORMATS = ("%m/%Y", "%m.%Y", "%Y-%m", "%b %Y", "%B %Y")


@given(on=dates, form=st.sampled_from(DAY_FORMATS))
def test_round_trip_of_days(on, form):
    assert date_parse(on.strftime(form)) == PartialDate(DatePrecision.DAY, on.year, on.month, on.day)


@given(on=dates, form=st.sampled_from(MONTH_FORMATS))
def test_round_trip_of_months(on, form):
    assert date_parse(on.strftime(form)) == PartialDate(DatePrecision.MONTH, on.year, on.month)


@given(on=dates)
def test_round_trip_month_first(on):
    assert date_parse(on.strftime("%m/%d/%Y"), day_first=False).value == on


@given(on=st.dates(min_value=datetime.date(1906, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_round_trip_of_excel_serials(on):
    # Serials below 2101 (dates before 1906) read as years: a number 1900 to 2100 in a date column is a year.
    serial = (on - datetime.date(1899, 12, 30)).days
    assert date_parse(serial).value == on
