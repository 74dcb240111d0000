"""Parsing figure directives: the grammar, each error with its line, and no other exception ever."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asylon.reports.reporting.directives import Directive, DirectiveError, extract
from asylon.reports.reporting.engine import build_report
from asylon.reports.tests.reporting.fakes import FakeSources
from tests.naughty import naughty_strings


def only_item(text: str):
    extracted = extract(text)
    assert len(extracted.items) == 1
    return extracted.items[0]


def test_a_directive_is_read_with_its_parameters_in_order():
    item = only_item(
        "See {{count measure=event of=declared_national_security_threat citizenship=BY from=2023-01 to=2023-06}}."
    )
    assert isinstance(item, Directive)
    assert item.name == "count"
    assert item.params == (
        ("measure", "event"),
        ("of", "declared_national_security_threat"),
        ("citizenship", "BY"),
        ("from", "2023-01"),
        ("to", "2023-06"),
    )
    assert item.line == 1
    assert not item.block


def test_the_placeholder_replaces_the_directive_and_restores_it():
    extracted = extract("a {{table measure=event by=year}} b")
    assert "{{" not in extracted.text
    assert extracted.restore(extracted.text) == "a {{table measure=event by=year}} b"
    assert extracted.items[0].block


def test_an_escaped_pair_of_braces_is_literal_text():
    extracted = extract("Write \\{{count measure=event}} to insert a count.")
    assert extracted.items == ()
    assert extracted.text == "Write {{count measure=event}} to insert a count."


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{{}}", "empty"),
        ("{{sum measure=event}}", "not a directive"),
        ("{{Count measure=event}}", "not a directive"),
        ("{{count measure}}", "key=value"),
        ("{{count measure=event measure=decision}}", "twice"),
        ("{{count measure=a+b}}", "only letters"),
        ("{{count measure=x.__class__()}}", "only letters"),
        ('{{count measure=event of="x"}}', "only letters"),
        ("{{count of=x}}", "needs measure"),
        ("{{count measure=event by=year}}", "does not take by"),
        ("{{rate by=year}}", "does not take by"),
        ("{{table measure=event}}", "needs by"),
        ("{{chart by=year}}", "needs measure"),
        ("{{cited}}", "needs statistic"),
        ("{{cited statistic=x measure=event}}", "does not take measure"),
        ("{{count measure=event", "not closed"),
        ("{{count " + "x=y " * 300 + "}}", "too long"),
    ],
)
def test_each_error_names_its_line_and_reason(text, reason):
    item = only_item("First line.\n\nThird line: " + text)
    assert isinstance(item, DirectiveError)
    assert item.line == 3
    assert reason in item.reason
    assert item.message.startswith("Line 3: ")


def test_a_directive_never_spans_lines():
    extracted = extract("{{count\nmeasure=event}}")
    assert [type(item) for item in extracted.items] == [DirectiveError]


@pytest.mark.sqlite_only
def test_naughty_strings_never_raise():
    sources = FakeSources()
    for text in naughty_strings():
        for markdown in (
            f"{text} {{{{count measure={text}}}}}",
            f"{{{{{text}}}}}\n\n{{{{table measure=event by=year}}}}",
        ):
            built = build_report(actor=None, organisation=None, markdown=markdown, title=text, sources=sources)
            assert isinstance(built.markdown, str)
            assert "<script" not in built.html.lower()


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("{}=\\ \n`*_[]!<>()|#-.:,azAZ09xcounttablerate")), max_size=80))
def test_directive_like_text_never_raises(text):
    built = build_report(actor=None, organisation=None, markdown=text, title="t", sources=FakeSources())
    assert isinstance(built.errors, list)
