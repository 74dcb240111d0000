"""The date-precision filter: a date is shown as precisely as it is known, in the reader's language."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from asylon.accounts.clearance import REDACTED
from asylon.common.templatetags.asylon_dates import date_precision

DAY = datetime.date(2023, 8, 17)


@pytest.mark.parametrize(
    ("language", "precision", "expected"),
    [
        ("en", "day", "Aug. 17, 2023"),
        ("en", "month", "August 2023"),
        ("en", "year", "2023"),
        ("en", "approximate", "about Aug. 17, 2023"),
        ("ru", "day", "17 августа 2023 г."),
        ("ru", "month", "Август 2023 г."),
        ("ru", "year", "2023"),
        ("lt", "month", "2023 m. rugpjūtis"),
        ("uk", "year", "2023"),
    ],
)
def test_each_precision_in_several_languages(language, precision, expected):
    with translation.override(language):
        assert date_precision(DAY, precision) == expected


@pytest.mark.parametrize("language", ["en", "ru", "uk", "be", "lt"])
def test_a_month_is_never_shown_as_a_day(language):
    with translation.override(language):
        shown = date_precision(datetime.date(2023, 8, 1), "month")
    assert "1" not in shown.replace("2023", "")


def test_approximate_is_translated_in_russian():
    with translation.override("ru"):
        shown = date_precision(DAY, "approximate")
    assert "2023" in shown and "17" in shown


def test_empty_and_redacted_values_render_as_themselves():
    assert date_precision(None, "day") is None
    assert date_precision(REDACTED, "day") is REDACTED
    assert str(
        Template("{% load asylon_dates %}{{ value|date_precision:'month' }}").render(Context({"value": REDACTED}))
    )


def test_in_a_template():
    rendered = Template("{% load asylon_dates %}{{ value|date_precision:precision }}").render(
        Context({"value": DAY, "precision": "year"})
    )
    assert rendered == "2023"
