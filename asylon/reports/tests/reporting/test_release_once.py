"""A report releases each distinct question once: the same question asked again shows the same table."""

from __future__ import annotations

from asylon.reports.reporting.engine import build_report
from asylon.reports.tests.reporting.fakes import FakeSources


def test_a_question_asked_twice_is_released_once_and_shows_the_same_figures():
    sources = FakeSources()
    built = build_report(
        actor=None,
        organisation=None,
        title="Twice",
        sources=sources,
        markdown=(
            "{{table measure=event by=year}}\n\n{{count measure=event}} and again {{count measure=event}}.\n\n"
            "{{chart measure=event by=year}}\n"
        ),
    )
    assert built.errors == []
    assert [question.by for question in sources.released] == [("year",), ()]
    assert [figure["number"] for figure in built.figures] == [1, 2, 3, 4]
    assert built.figures[0]["values"] == built.figures[3]["values"]
    assert built.figures[1]["n"] == built.figures[2]["n"]
