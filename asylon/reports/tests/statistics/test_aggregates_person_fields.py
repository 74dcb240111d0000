"""A breakdown by the person's own fields only (citizenship, sex, ...) is grouped on the person table
after the population's people are found: the same distinct-people counts as grouping the facts."""

from __future__ import annotations

import pytest

from asylon.reports.statistics.aggregates import count_table
from asylon.reports.statistics.questions import Question
from asylon.reports.tests.statistics.conftest import THREAT


@pytest.mark.django_db
def test_two_way_table_of_person_fields(dataset):
    table = count_table(
        organisation=dataset.organisation, question=Question.build("event", of=[THREAT], by=["citizenship", "sex"])
    )
    assert table.cells == {("BY", "male"): 1, ("BY", "female"): 1, ("RU", "male"): 1, ("RU", "female"): 0}
    assert (table.row_totals, table.column_totals, table.total) == ({"BY": 2, "RU": 1}, {"male": 2, "female": 1}, 3)


@pytest.mark.django_db
def test_a_blank_field_is_unknown_and_filters_still_apply(dataset):
    question = Question.build("event", of=[THREAT], filters={"year": ["2023"]}, by=["country_of_origin"])
    table = count_table(organisation=dataset.organisation, question=question)
    assert table.cells[("unknown",)] >= 1  # ivan's country of origin is blank
    assert sum(table.cells.values()) == table.total == 3
    detained = count_table(organisation=dataset.organisation, question=Question.build("detention", by=["citizenship"]))
    assert detained.cells == {("BY",): 1, ("RU",): 1} and detained.total == 2
