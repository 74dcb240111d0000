"""count_table on the decision, appeal, detention and entry-ban measures, and the decision-linked
dimensions (grounds, outcome, decision maker) of the event measure."""

from __future__ import annotations

import pytest

from asylon.reports.statistics.aggregates import QuestionError, count_table, describe
from asylon.reports.statistics.questions import Period, Question

from .conftest import THREAT


def table(dataset, measure, **question):
    return count_table(organisation=dataset.organisation, question=Question.build(measure, **question))


def test_decisions_person_is_the_events_or_the_clients(dataset):
    assert table(dataset, "decision").total == 3
    assert table(dataset, "decision", of=["national_security_conclusion"]).total == 2
    # ivan's residence decision has no event: it is his as the case's client.
    assert table(dataset, "decision", of=["residence_permit_temporary"], by=["citizenship"]).cells == {("RU",): 1}


def test_decisions_by_grounds_count_people_per_ground(dataset):
    counted = table(dataset, "decision", by=["grounds"])
    assert counted.rows == ("past_compulsory_military_service", "questionnaire_answers", "unknown")
    assert counted.cells == {
        ("past_compulsory_military_service",): 2,
        ("questionnaire_answers",): 2,
        ("unknown",): 1,
    }
    assert counted.total == 3
    only = table(dataset, "decision", by=["grounds"], filters={"grounds": ["questionnaire_answers"]})
    assert only.cells == {("questionnaire_answers",): 2}
    assert only.total == 2


def test_decisions_by_outcome_and_maker(dataset):
    assert table(dataset, "decision", by=["outcome"]).cells == {("refuse",): 3, ("unknown",): 1}
    by_maker = table(dataset, "decision", by=["decision_maker"])
    assert by_maker.cells == {("migration_department",): 2, ("state_security_department",): 2}
    assert table(dataset, "decision", by=["year"], period=Period((2023, 6), (2023, 12))).cells == {("2023",): 2}


def test_events_grounds_are_those_of_their_decision(dataset):
    counted = table(dataset, "event", of=[THREAT], by=["grounds"])
    assert counted.cells == {
        ("past_compulsory_military_service",): 2,
        ("questionnaire_answers",): 1,
        ("unknown",): 2,  # ales's 2024 threat and ivan's have no decision
    }
    assert counted.total == 3
    assert table(dataset, "event", of=[THREAT], by=["decision_maker"]).cells == {
        ("state_security_department",): 2,
        ("unknown",): 2,
    }


def test_appeals_by_result(dataset):
    counted = table(dataset, "appeal", by=["appeal_result"])
    assert counted.rows == ("won", "lost", "pending")
    assert counted.cells == {("won",): 1, ("lost",): 1, ("pending",): 1}
    assert counted.total == 2
    assert table(dataset, "appeal", by=["year", "tier"]).cells == {
        ("2023", "appeal_tier1"): 2,
        ("2023", "appeal_tier2"): 0,
        ("2024", "appeal_tier1"): 0,
        ("2024", "appeal_tier2"): 1,
    }
    assert table(dataset, "appeal", by=["citizenship"], period=Period((2024, 1), (2024, 12))).cells == {("BY",): 1}


def test_appeals_are_counted_by_whole_years_only(dataset):
    with pytest.raises(QuestionError):
        table(dataset, "appeal", period=Period((2023, 3), None))


def test_detention_by_length(dataset):
    counted = table(dataset, "detention", by=["length"])
    assert counted.rows == ("d0_7", "d31_90", "unknown")
    assert counted.cells == {("d0_7",): 1, ("d31_90",): 1, ("unknown",): 1}
    assert counted.total == 2  # "free" is not detention
    assert table(dataset, "detention", by=["year"]).cells == {("2023",): 2, ("2024",): 1}
    assert table(dataset, "detention", filters={"length": ["unknown"]}, by=["citizenship"]).cells == {("RU",): 1}


def test_entry_bans_by_length(dataset):
    assert table(dataset, "entry_ban", by=["length"]).cells == {("y1_2",): 1}
    assert table(dataset, "entry_ban", filters={"sex": ["male"]}).total == 0


@pytest.mark.django_db
def test_describe_says_the_question_in_words():
    question = Question.build(
        "event",
        of=[THREAT],
        filters={"citizenship": ["BY"]},
        period=Period((2023, 1), (2023, 6)),
        by=["year", "grounds"],
    )
    text = describe(question)
    assert text.startswith("People with an event")
    assert "Belarus" in text
    assert "from 2023-01 to 2023-06" in text
    assert "by year and grounds cited" in text


@pytest.mark.parametrize(
    ("measure", "of", "by"),
    [
        ("event", [THREAT], ["half", "citizenship"]),
        ("event", [THREAT], ["grounds", "event_country"]),
        ("decision", [], ["grounds", "outcome"]),
        ("appeal", [], ["appeal_result", "year"]),
        ("detention", [], ["length", "quarter"]),
    ],
)
def test_each_cell_and_margin_is_its_own_questions_count(dataset, measure, of, by):
    """The disclosure ledger keys cells by Question.cell(): asking a cell's question gives the cell."""
    counted = table(dataset, measure, of=of, by=by)
    for (row, column), n in counted.cells.items():
        assert table(dataset, measure, of=of, filters={by[0]: [row], by[1]: [column]}).total == n, (row, column)
    for row, n in counted.row_totals.items():
        assert table(dataset, measure, of=of, filters={by[0]: [row]}).total == n
    for column, n in counted.column_totals.items():
        assert table(dataset, measure, of=of, filters={by[1]: [column]}).total == n
