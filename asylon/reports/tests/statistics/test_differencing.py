"""Differencing: two permitted queries never let their published totals pin a group of 1 to k-1
people (checked with a linear program over both outputs), and the ledger's check counts the
symmetric difference of two populations in the database."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from asylon.accounts.models import Role
from asylon.reports.models import ReleasedPopulation, SuppressedPopulation
from asylon.reports.services.statistics import DisclosureRefused, statistics_release
from asylon.reports.statistics.aggregates import count_table, question_from_params
from asylon.reports.statistics.differencing import near_releases, question_from_json
from tests.factories import CaseFactory, OrganisationFactory, event_on, person_on_case, staff

THREAT = "declared_national_security_threat"
K = 5
MONTHS = 24  # 2023-01 .. 2024-12
PEOPLE_PER_MONTH = [(month * 7) % 5 for month in range(MONTHS)]  # 0 to 4 people, one event each


def month_text(month: int) -> str:
    return f"{2023 + month // 12}-{month % 12 + 1:02d}"


@pytest.fixture
def world(db):
    organisation = OrganisationFactory()
    case = CaseFactory(organisation=organisation)
    for month, people in enumerate(PEOPLE_PER_MONTH):
        for _ in range(people):
            event_on(case, person_on_case(case, citizenship="BY"), THREAT, 2023 + month // 12, month % 12 + 1)
    return organisation, staff(organisation, Role.ANALYST)


def periods():
    return st.tuples(st.integers(0, MONTHS - 1), st.integers(0, MONTHS - 1)).map(sorted)


def nearby(period: list[int]):
    """A period whose ends move by up to two months: the usual way to try differencing."""
    moves = st.tuples(st.integers(-2, 2), st.integers(-2, 2))
    return moves.map(lambda m: sorted(min(max(end + move, 0), MONTHS - 1) for end, move in zip(period, m, strict=True)))


def pairs():
    return periods().flatmap(lambda first: st.tuples(st.just(first), st.one_of(nearby(first), periods())))


def pinned_groups(first: range, second: range, totals: tuple[int | None, int | None]) -> list[str]:
    """Groups of 1..k-1 people (in both periods, only the first, only the second) whose size an attacker
    narrows to a range under k wide, knowing the periods and the published totals (None: suppressed)."""
    sizes = {
        "both": sum(PEOPLE_PER_MONTH[m] for m in first if m in second),
        "first": sum(PEOPLE_PER_MONTH[m] for m in first if m not in second),
        "second": sum(PEOPLE_PER_MONTH[m] for m in second if m not in first),
    }
    # Structurally empty groups are known to be empty.
    possible = {
        "both": any(m in second for m in first),
        "first": any(m not in second for m in first),
        "second": any(m not in first for m in second),
    }
    names = list(sizes)
    bounds = [(0, None if possible[name] else 0) for name in names]
    equalities, right, at_least = [], [], []
    for total, members in zip(totals, (("both", "first"), ("both", "second")), strict=True):
        row = [1.0 if name in members else 0.0 for name in names]
        if total is None:
            at_least.append([-value for value in row])  # a suppressed total counts at least 1
        else:
            equalities.append(row)
            right.append(total)
    pinned = []
    for position, name in enumerate(names):
        if not 0 < sizes[name] < K:
            continue
        objective = np.zeros(3)
        objective[position] = 1
        extra = {"A_ub": np.array(at_least), "b_ub": -np.ones(len(at_least))} if at_least else {}
        equal = {"A_eq": np.array(equalities), "b_eq": np.array(right)} if equalities else {}
        low = linprog(objective, bounds=bounds, method="highs", **extra, **equal)
        high = linprog(-objective, bounds=bounds, method="highs", **extra, **equal)
        highest = -high.fun if high.status == 0 else float("inf")
        if highest - low.fun < K:
            pinned.append(name)
    return pinned


@settings(derandomize=True, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pair=pairs())
def test_two_permitted_queries_never_pin_a_small_group(world, pair: tuple[list[int], list[int]]) -> None:
    organisation, analyst = world
    first, second = pair
    ReleasedPopulation.objects.filter(organisation=organisation).delete()
    SuppressedPopulation.objects.filter(organisation=organisation).delete()

    def release(period: list[int]):
        question = question_from_params(
            {"measure": "event", "of": THREAT, "from": month_text(period[0]), "to": month_text(period[1])}
        )
        return statistics_release(actor=analyst, organisation=organisation, question=question).total.value

    first_months, second_months = range(first[0], first[1] + 1), range(second[0], second[1] + 1)
    first_total = release(first)
    difference = sum(PEOPLE_PER_MONTH[m] for m in set(first_months) ^ set(second_months))
    try:
        second_total = release(second)
    except DisclosureRefused:
        assert 0 < difference < K
        return
    assert pinned_groups(first_months, second_months, (first_total, second_total)) == []


def test_near_releases_counts_the_symmetric_difference_in_one_query(world, django_assert_max_num_queries) -> None:
    organisation, analyst = world
    questions = [
        question_from_params({"measure": "event", "of": THREAT, "from": "2023-01", "to": f"2023-{month:02d}"})
        for month in (6, 9, 12)
    ]
    for question in questions:
        statistics_release(actor=analyst, organisation=organisation, question=question)
    widened = question_from_params({"measure": "event", "of": THREAT, "from": "2023-01", "to": "2024-01"})
    count = sum(PEOPLE_PER_MONTH[:13])
    with django_assert_max_num_queries(2):  # the candidates, then one statement for the batch
        near = near_releases(organisation=organisation, question=widened, count=count, threshold=K)
    assert near == [(questions[2].key, PEOPLE_PER_MONTH[12])]


def test_a_ledger_population_reads_back_as_the_same_question(db) -> None:
    question = question_from_params(
        {"measure": "event", "of": THREAT, "citizenship": "BY,UA", "from": "2023-02", "to": "2024"}
    ).population()
    assert question_from_json(question.as_json()) == question


@pytest.mark.parametrize(
    "measure",
    [
        "event",
        "decision",
        "appeal",
        "detention",
        "entry_ban",
    ],
)
def test_near_releases_compares_populations_of_every_measure(db, measure: str) -> None:
    from asylon.ops.synth import synthesise

    organisation = OrganisationFactory()
    synthesise(organisation=organisation, persons=30, seed=3)
    analyst = staff(organisation, Role.ANALYST)
    everyone = question_from_params({"measure": measure})
    statistics_release(actor=analyst, organisation=organisation, question=everyone)
    statistics_release(actor=analyst, organisation=organisation, question=everyone)  # asked again: not refused
    later = question_from_params({"measure": measure, "from": "2024"})
    everyone_count = count_table(organisation=organisation, question=everyone).total
    later_count = count_table(organisation=organisation, question=later).total
    near = near_releases(organisation=organisation, question=later, count=later_count, threshold=10**6)
    # The people from 2024 on are some of everyone: the difference is everyone else.
    difference = everyone_count - later_count
    assert near == ([(everyone.key, difference)] if difference else [])
