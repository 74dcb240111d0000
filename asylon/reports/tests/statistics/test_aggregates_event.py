"""count_table and population on the "event" measure: distinct people per cell, margins queried."""

from __future__ import annotations

from asylon.reports.statistics.aggregates import count_table, population
from asylon.reports.statistics.questions import Period, Question

from .conftest import THREAT


def table(dataset, measure="event", **question):
    return count_table(organisation=dataset.organisation, question=Question.build(measure, **question))


def test_people_with_an_event_of_a_type_count_once(dataset):
    counted = table(dataset, of=[THREAT])
    assert counted.total == 3  # ales twice, the nameless event not at all
    assert counted.cells == {(): 3}
    assert table(dataset).total == 3
    assert table(dataset, of=["visa_refused"]).total == 1


def test_by_year_the_margin_is_distinct_people(dataset):
    counted = table(dataset, of=[THREAT], by=["year"])
    assert counted.rows == ("2023", "2024")
    assert counted.cells == {("2023",): 3, ("2024",): 1}
    assert counted.total == 3  # ales has threats in both years and counts once


def test_two_way_table_with_margins(dataset):
    counted = table(dataset, of=[THREAT], by=["year", "citizenship"])
    assert counted.rows == ("2023", "2024")
    assert counted.columns == ("BY", "RU")
    assert counted.cells == {("2023", "BY"): 2, ("2023", "RU"): 1, ("2024", "BY"): 1, ("2024", "RU"): 0}
    assert counted.row_totals == {"2023": 3, "2024": 1}
    assert counted.column_totals == {"BY": 2, "RU": 1}
    assert counted.total == 3


def test_half_year_without_month_is_unknown(dataset):
    counted = table(dataset, of=[THREAT], by=["half"])
    assert counted.rows == ("2023-H1", "2023-H2", "2024-H1", "unknown")
    assert counted.cells == {("2023-H1",): 1, ("2023-H2",): 1, ("2024-H1",): 1, ("unknown",): 1}


def test_period_months_and_whole_years(dataset):
    first_half = table(dataset, of=[THREAT], period=Period((2023, 1), (2023, 6)))
    assert first_half.total == 1  # ivan's threat has no month: it cannot be placed in a half-year
    assert table(dataset, of=[THREAT], period=Period((2023, 1), (2023, 12))).total == 3
    assert table(dataset, of=[THREAT], period=Period((2024, 1), None)).total == 1


def test_filters(dataset):
    assert table(dataset, of=[THREAT], filters={"citizenship": ["BY"]}).total == 2
    assert table(dataset, of=[THREAT], filters={"citizenship": ["BY"], "year": ["2024"]}).total == 1
    assert table(dataset, of=[THREAT], filters={"event_country": ["unknown"]}).total == 1


def test_organisation_isolation(dataset):
    assert count_table(organisation=dataset.other, question=Question.build("event", of=[THREAT])).total == 1
    assert table(dataset, of=[THREAT], filters={"year": ["2023"]}, by=["citizenship"]).cells == {("BY",): 2, ("RU",): 1}


def test_population_is_the_distinct_people(dataset):
    question = Question.build("event", of=[THREAT], filters={"citizenship": ["BY"]}, by=["year"])
    people = population(organisation=dataset.organisation, question=question)
    assert set(people) == {dataset.people["ales"], dataset.people["bela"]}
