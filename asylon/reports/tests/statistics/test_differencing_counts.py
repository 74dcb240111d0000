"""The differencing check's counts in SQL: |A Δ B| as |A| + |B| - 2 |A ∩ B| over the populations'
fact rows, equal to the difference of the people themselves, with rows naming no one left out."""

from __future__ import annotations

import pytest

from asylon.reports.models import ReleasedPopulation
from asylon.reports.statistics.aggregates import count_table, question_from_params
from asylon.reports.statistics.differencing import near_releases
from tests.factories import CaseFactory, OrganisationFactory, decision_on, event_on, person_on_case

THREAT = "declared_national_security_threat"


def ledger(organisation, question, count: int) -> None:
    whole = question.population()
    ReleasedPopulation.objects.create(
        organisation=organisation, key=whole.key, measure=whole.measure, population=whole.as_json(), count=count
    )


@pytest.mark.django_db
def test_decisions_naming_no_one_are_in_neither_population():
    organisation = OrganisationFactory()
    first, second, nobodys = (CaseFactory(organisation=organisation) for _ in range(3))
    person_on_case(first)
    person_on_case(second)
    # nobodys has no client, and its decisions no event: they name no one.
    decision_on(first, "asylum", served=(2023, 1))
    decision_on(nobodys, "asylum", served=(2023, 2))
    decision_on(second, "asylum", served=(2024, 1))
    decision_on(nobodys, "asylum", served=(2024, 2))
    everything = question_from_params({"measure": "decision", "of": "asylum"})
    in_2023 = question_from_params({"measure": "decision", "of": "asylum", "to": "2023-12"})
    assert count_table(organisation=organisation, question=everything).total == 2
    ledger(organisation, everything, 2)
    # Only the second person differs: the two decisions naming no one make no "common person".
    assert near_releases(organisation=organisation, question=in_2023, count=1, threshold=5) == [(everything.key, 1)]


@pytest.mark.django_db
def test_overlapping_populations_differ_by_the_people_in_only_one():
    organisation = OrganisationFactory()
    case = CaseFactory(organisation=organisation)
    people = [person_on_case(case, citizenship="BY") for _ in range(6)]
    for number, person in enumerate(people):
        event_on(case, person, THREAT, 2023, 1 + number)  # months 1..6, one person each
        event_on(case, person, THREAT, 2023, 12)  # and everyone again in December
    event_on(case, people[0], THREAT, 2024, 1)
    first_half = question_from_params({"measure": "event", "of": THREAT, "from": "2023-01", "to": "2023-03"})
    later = question_from_params({"measure": "event", "of": THREAT, "from": "2023-03", "to": "2023-05"})
    ledger(organisation, first_half, 3)
    # {0, 1, 2} against {2, 3, 4}: four people are in only one of them.
    assert near_releases(organisation=organisation, question=later, count=3, threshold=5) == [(first_half.key, 4)]
    assert near_releases(organisation=organisation, question=later, count=3, threshold=4) == []
    other = OrganisationFactory()
    assert near_releases(organisation=other, question=later, count=3, threshold=5) == []
