"""counts_reused: inside one report's build the same count over the same population is made once,
with the same numbers as made anew; outside the block every count is made afresh."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from asylon.reports.statistics.aggregates import count_table, counts_reused
from asylon.reports.statistics.questions import Question
from asylon.reports.tests.statistics.conftest import THREAT
from tests.factories import CaseFactory, event_on, person_on_case

WHOLE = Question.build("event", of=[THREAT])
BY_YEAR = Question.build("event", of=[THREAT], by=["year"])
BY_TWO = Question.build("event", of=[THREAT], by=["year", "citizenship"])
BY_CITIZENSHIP = Question.build("event", of=[THREAT], by=["citizenship"])


def counting_queries(organisation, questions):
    with CaptureQueriesContext(connection) as queries:
        tables = [count_table(organisation=organisation, question=question) for question in questions]
    return tables, sum("COUNT(" in query["sql"] for query in queries.captured_queries)


@pytest.mark.django_db
def test_the_same_counts_are_made_once_with_the_same_numbers(dataset):
    questions = [WHOLE, BY_YEAR, BY_TWO, BY_CITIZENSHIP, BY_YEAR]
    fresh, fresh_counts = counting_queries(dataset.organisation, questions)
    with counts_reused():
        reused, reused_counts = counting_queries(dataset.organisation, questions)
    assert fresh_counts == 1 + 2 + 4 + 2 + 2
    assert reused_counts == 4  # the total; by year; by year and citizenship; by citizenship
    for before, after in zip(fresh, reused, strict=True):
        assert (after.cells, after.row_totals, after.column_totals, after.total, after.rows, after.columns) == (
            before.cells,
            before.row_totals,
            before.column_totals,
            before.total,
            before.rows,
            before.columns,
        )


@pytest.mark.django_db
def test_other_populations_and_organisations_are_counted_on_their_own(dataset):
    with counts_reused():
        ours = count_table(organisation=dataset.organisation, question=WHOLE).total
        theirs = count_table(organisation=dataset.other, question=WHOLE).total
        belarusians = count_table(
            organisation=dataset.organisation,
            question=Question.build("event", of=[THREAT], filters={"citizenship": ["BY"]}),
        ).total
    assert (ours, theirs, belarusians) == (3, 1, 2)


@pytest.mark.django_db
def test_outside_the_block_new_facts_are_counted(dataset):
    with counts_reused():
        before = count_table(organisation=dataset.organisation, question=WHOLE).total
    case = CaseFactory(organisation=dataset.organisation)
    event_on(case, person_on_case(case, citizenship="UA"), THREAT, 2023, 1)
    assert count_table(organisation=dataset.organisation, question=WHOLE).total == before + 1
    with counts_reused():
        assert count_table(organisation=dataset.organisation, question=WHOLE).total == before + 1
