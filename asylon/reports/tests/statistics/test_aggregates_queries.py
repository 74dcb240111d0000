"""count_table runs a bounded number of queries whatever the number of rows (no loop over facts)."""

from __future__ import annotations

import pytest

from asylon.reports.statistics.aggregates import count_table
from asylon.reports.statistics.questions import Question
from tests.factories import CaseFactory, OrganisationFactory, decision_on, event_on, person_on_case

THREAT = "declared_national_security_threat"
QUESTIONS = [
    Question.build("event", of=[THREAT], by=["year", "citizenship"], filters={"grounds": ["questionnaire_answers"]}),
    Question.build("decision", by=["grounds", "outcome"]),
    Question.build("appeal", by=["appeal_result"]),
    Question.build("detention", by=["length", "year"]),
]


def organisation_with(people: int):
    organisation = OrganisationFactory()
    for number in range(people):
        case = CaseFactory(organisation=organisation)
        person = person_on_case(case, citizenship=["BY", "RU", "UA"][number % 3])
        for year in (2022, 2023):
            event = event_on(case, person, THREAT, year, 1 + number % 12)
            decision_on(case, "national_security_conclusion", event=event, grounds=("questionnaire_answers",))
    return organisation


@pytest.mark.django_db
@pytest.mark.parametrize("people", [2, 12])
def test_queries_do_not_grow_with_rows(people, django_assert_max_num_queries):
    organisation = organisation_with(people)
    for question in QUESTIONS:
        # validation (one per vocabulary checked), cells, two margins, total, display order of terms
        with django_assert_max_num_queries(8):
            count_table(organisation=organisation, question=question)
    assert count_table(organisation=organisation, question=QUESTIONS[0]).total == people
