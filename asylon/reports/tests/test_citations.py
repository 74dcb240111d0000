"""An outside figure in words: the value as stated and the source as a footnote, in the reader's language."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from asylon.evidence.models import Source
from asylon.reports.citations import citation_text, figure_text, value_text
from asylon.reports.models import ExternalStatistic


def statistic(**fields) -> ExternalStatistic:
    source = Source(
        title=fields.pop("title", "Lithuania deemed 598 Belarusians a threat"),
        publisher=fields.pop("publisher", "Ukrainska Pravda"),
        url=fields.pop("url", "https://www.pravda.com.ua/"),
        published_on=fields.pop("published_on", datetime.date(2025, 1, 29)),
        accessed_on=fields.pop("accessed_on", datetime.date(2025, 2, 3)),
        citation=fields.pop("citation", ""),
    )
    return ExternalStatistic(code="x", label="x", source=source, **{"value": Decimal("48804.00"), **fields})


@pytest.mark.parametrize(
    ("language", "fields", "expected"),
    [
        ("en", {"qualifier": "about"}, "about 48,804"),
        ("en", {"qualifier": "over", "value": Decimal("1165")}, "over 1,165"),
        ("en", {}, "48,804"),
        ("en", {"value": Decimal("12.50"), "unit": "%"}, "12.5%"),
        ("en", {"value": Decimal("3"), "unit": "months", "qualifier": "up_to"}, "up to 3 months"),
        ("en", {"qualifier": "as many as"}, "as many as 48,804"),  # an unknown qualifier as entered
        ("lt", {"qualifier": "about"}, "48\xa0804"),
        ("ru", {"value": Decimal("12.50"), "unit": "%"}, "12,5%"),
    ],
)
def test_figure_text(language, fields, expected):
    with translation.override(language):
        text = figure_text(statistic(**fields))
    assert text.endswith(expected)


def test_the_qualifier_is_shown_in_the_readers_language():
    with translation.override("ru"):
        assert figure_text(statistic(qualifier="over")) == f"{translation.gettext('over')} 48\xa0804"


def test_whole_numbers_lose_their_decimals_and_fractions_keep_theirs():
    with translation.override("en"):
        assert value_text(Decimal("598.00")) == "598"
        assert value_text(Decimal("0.25")) == "0.25"
        assert value_text(Decimal("1000000")) == "1,000,000"


def test_citation_text_in_english():
    with translation.override("en"):
        text = citation_text(statistic(citation="secondary source"))
    assert text == (
        "Ukrainska Pravda, “Lithuania deemed 598 Belarusians a threat”, Jan. 29, 2025, secondary source, "
        "https://www.pravda.com.ua/, accessed Feb. 3, 2025."
    )


def test_citation_text_in_lithuanian_formats_the_dates_so():
    with translation.override("lt"):
        text = citation_text(statistic())
    assert text.startswith("Ukrainska Pravda, “Lithuania deemed 598 Belarusians a threat”, ")
    assert "2025" in text and "Jan." not in text and text.endswith(".")


def test_a_citation_leaves_out_what_the_source_does_not_say():
    text = citation_text(statistic(publisher="", url="", published_on=None, accessed_on=None))
    assert text == "“Lithuania deemed 598 Belarusians a threat”."
