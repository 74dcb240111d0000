"""Property: for any small set of events, every cell, margin and total of count_table is the number
of distinct people computed directly from the rows (a person in several cells counts once per cell
and once in each margin and the total)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asylon.reports.statistics.aggregates import count_table
from asylon.reports.statistics.questions import Question
from tests.factories import CaseFactory, OrganisationFactory, event_on, person_on_case

TYPES = ("declared_national_security_threat", "visa_refused")
CITIZENSHIPS = st.sampled_from(["BY", "RU", ""])
EVENT = st.tuples(st.integers(0, 5), st.sampled_from(TYPES), st.integers(2022, 2024), st.none() | st.integers(1, 12))


def half(year: int, month: int | None) -> str:
    return "unknown" if month is None else f"{year}-H{1 if month <= 6 else 2}"


def citizenship(code: str) -> str:
    return code or "unknown"


@pytest.mark.django_db
@settings(derandomize=True, max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(citizenships=st.lists(CITIZENSHIPS, min_size=6, max_size=6), events=st.lists(EVENT, max_size=14))
def test_cells_and_margins_are_distinct_people(citizenships, events):
    organisation = OrganisationFactory()
    people = []
    for code in citizenships:
        case = CaseFactory(organisation=organisation)
        people.append((case, person_on_case(case, citizenship=code)))
    for index, event_type, year, month in events:
        case, person = people[index]
        event_on(case, person, event_type, year, month)

    question = Question.build("event", of=[TYPES[0]], by=["half", "citizenship"])
    table = count_table(organisation=organisation, question=question)

    threats = [(index, year, month) for index, event_type, year, month in events if event_type == TYPES[0]]
    cells: dict[tuple[str, str], set[int]] = {}
    for index, year, month in threats:
        cells.setdefault((half(year, month), citizenship(citizenships[index])), set()).add(index)
    assert {key: n for key, n in table.cells.items() if n} == {key: len(who) for key, who in cells.items()}
    assert table.total == len({index for index, _year, _month in threats})
    for row in table.rows:
        assert table.row_totals[row] == len({who for (r, _c), group in cells.items() if r == row for who in group})
    for column in table.columns:
        expected = {who for (_r, c), group in cells.items() if c == column for who in group}
        assert table.column_totals[column] == len(expected)
