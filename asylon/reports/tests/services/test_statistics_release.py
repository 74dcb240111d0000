"""statistics_release: permission, audit entry, ledger rows, refusal of near-identical populations,
suppressed-stays-suppressed across tables, nothing written on refusal."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from asylon.accounts.models import OrgPolicy, Role
from asylon.audit.models import AuditEntry
from asylon.reports.models import ReleasedPopulation, SuppressedPopulation
from asylon.reports.services.statistics import DisclosureRefused, disclosure_rule_for, statistics_release
from asylon.reports.statistics.aggregates import QuestionError, question_from_params
from tests.factories import CaseFactory, OrganisationFactory, event_on, person_on_case, staff

THREAT = "declared_national_security_threat"


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def analyst(organisation):
    return staff(organisation, Role.ANALYST)


def people_with_threats(organisation, count: int, year: int, month: int, **fields) -> None:
    case = CaseFactory(organisation=organisation)
    for _ in range(count):
        event_on(case, person_on_case(case, **fields), THREAT, year, month)


def ask(**params: str):
    return question_from_params({"measure": "event", "of": THREAT, **params})


def written() -> tuple[int, int, int]:
    return (
        ReleasedPopulation.objects.count(),
        SuppressedPopulation.objects.count(),
        AuditEntry.objects.filter(action="statistics.release").count(),
    )


def test_a_release_is_protected_recorded_in_the_ledger_and_audited(organisation, analyst) -> None:
    people_with_threats(organisation, 12, 2023, 3, citizenship="BY")
    people_with_threats(organisation, 2, 2023, 4, citizenship="UA")
    people_with_threats(organisation, 7, 2023, 5, citizenship="RU")
    question = ask(by="citizenship")

    table = statistics_release(actor=analyst, organisation=organisation, question=question)

    # The 2 is suppressed, and the total with it (else 21 - 12 - 7 gives it away).
    assert table.cells[("UA",)].suppressed and table.total.suppressed
    assert table.cells[("BY",)].value == 12 and table.cells[("RU",)].value == 7
    assert table.rule.threshold == 5
    released = dict(ReleasedPopulation.objects.filter(organisation=organisation).values_list("key", "count"))
    # Shown as a number or as suppressed, each population is one later queries are checked against.
    assert released == {
        question.cell({"citizenship": "BY"}).key: 12,
        question.cell({"citizenship": "RU"}).key: 7,
        question.cell({"citizenship": "UA"}).key: 2,
        question.population().key: 21,
    }
    shown = set(ReleasedPopulation.objects.filter(published=True).values_list("key", flat=True))
    assert shown == {question.cell({"citizenship": "BY"}).key, question.cell({"citizenship": "RU"}).key}
    assert set(SuppressedPopulation.objects.values_list("key", flat=True)) == {
        question.cell({"citizenship": "UA"}).key,
        question.population().key,
    }
    entry = AuditEntry.objects.get(action="statistics.release")
    assert entry.actor_id == analyst.pk and entry.organisation_id == organisation.pk
    assert entry.details["question"] == question.key and entry.details["suppressed"] == 2
    assert "Тэст" not in str(entry.details)  # counts and codes only, no names


def test_who_may_not_see_statistics_is_refused_and_nothing_is_written(organisation) -> None:
    people_with_threats(organisation, 6, 2023, 3)
    for outsider in (staff(organisation, Role.VIEWER), staff(OrganisationFactory(), Role.ANALYST)):
        with pytest.raises(PermissionDenied):
            statistics_release(actor=outsider, organisation=organisation, question=ask())
    assert written() == (0, 0, 0)


def test_a_bad_rounding_base_is_a_question_error(organisation, analyst) -> None:
    with pytest.raises(QuestionError):
        statistics_release(actor=analyst, organisation=organisation, question=ask(), rounding_base=0)
    assert written() == (0, 0, 0)


def test_a_period_widened_to_add_two_people_is_refused_and_nothing_is_written(organisation, analyst) -> None:
    people_with_threats(organisation, 20, 2023, 6, citizenship="BY")
    people_with_threats(organisation, 2, 2024, 1, citizenship="BY")
    people_with_threats(organisation, 9, 2024, 3, citizenship="BY")
    first = statistics_release(
        actor=analyst, organisation=organisation, question=ask(citizenship="BY", **{"from": "2023-01", "to": "2023-12"})
    )
    assert first.total.value == 20
    before = written()

    with pytest.raises(DisclosureRefused, match="fewer than 5 people"):
        statistics_release(
            actor=analyst,
            organisation=organisation,
            question=ask(citizenship="BY", **{"from": "2023-01", "to": "2024-01"}),
        )
    assert written() == before

    # Nine more people (2024-03) are enough: 31 against 20 discloses a group of 11.
    wider = statistics_release(
        actor=analyst, organisation=organisation, question=ask(citizenship="BY", **{"from": "2023-01", "to": "2024-03"})
    )
    assert wider.total.value == 31


def test_a_cell_published_earlier_is_a_population_later_queries_are_checked_against(organisation, analyst) -> None:
    people_with_threats(organisation, 15, 2023, 6, citizenship="BY")
    people_with_threats(organisation, 8, 2023, 6, citizenship="RU")
    people_with_threats(organisation, 3, 2023, 6, citizenship="UA", sex="female")
    statistics_release(actor=analyst, organisation=organisation, question=ask(citizenship="BY,RU,UA", by="citizenship"))
    # BY and UA together differ from the published BY cell by the three UA people.
    with pytest.raises(DisclosureRefused):
        statistics_release(actor=analyst, organisation=organisation, question=ask(citizenship="BY,UA"))


def test_a_count_suppressed_in_one_table_stays_suppressed_in_another(organisation, analyst) -> None:
    people_with_threats(organisation, 20, 2023, 3, citizenship="BY", sex="male")
    people_with_threats(organisation, 2, 2023, 3, citizenship="UA", sex="male")
    people_with_threats(organisation, 3, 2023, 3, citizenship="RU", sex="male")
    people_with_threats(organisation, 4, 2023, 3, citizenship="RU", sex="female")
    by_citizenship = statistics_release(actor=analyst, organisation=organisation, question=ask(by="citizenship"))
    assert by_citizenship.cells[("UA",)].suppressed
    assert by_citizenship.total.suppressed  # secondary: 29 people, hidden to protect the 2
    assert by_citizenship.cells[("BY",)].value == 20 and by_citizenship.cells[("RU",)].value == 7

    # The same 29 people broken down by sex: a table of its own whose total would give the 2 UA away.
    by_sex = statistics_release(actor=analyst, organisation=organisation, question=ask(by="sex"))
    assert by_sex.total.suppressed
    assert by_sex.cells[("female",)].suppressed and by_sex.cells[("male",)].value == 25


def test_the_rule_comes_from_the_organisation_policy(organisation, analyst) -> None:
    OrgPolicy.objects.filter(organisation=organisation).update(disclosure_threshold=10)
    people_with_threats(organisation, 8, 2023, 3)
    assert disclosure_rule_for(organisation, rounding_base=5).threshold == 10
    table = statistics_release(actor=analyst, organisation=organisation, question=ask(), rounding_base=5)
    assert table.total.suppressed and table.rule.rounding_base == 5


def test_the_same_table_asked_again_is_not_refused_by_its_own_counts(organisation, analyst) -> None:
    people_with_threats(organisation, 3, 2023, 5, citizenship="BY")
    people_with_threats(organisation, 7, 2023, 5, citizenship="RU")
    question = ask(by="year,citizenship", **{"from": "2023-01", "to": "2023-12"})
    page = statistics_release(actor=analyst, organisation=organisation, question=question)
    download = statistics_release(actor=analyst, organisation=organisation, question=question)  # its CSV
    assert page.cells == download.cells and page.total == download.total
    assert page.cells[("2023", "BY")].suppressed and page.cells[("2023", "RU")].value == 7


def test_a_total_published_earlier_is_not_hidden_to_protect_a_later_table(organisation, analyst) -> None:
    """A report's count of everyone, then its table by citizenship: hiding the total would protect
    nothing (the reader has it), so another cell is hidden with the small one."""
    people_with_threats(organisation, 12, 2023, 3, citizenship="BY")
    people_with_threats(organisation, 2, 2023, 4, citizenship="UA")
    people_with_threats(organisation, 7, 2023, 5, citizenship="RU")
    total = statistics_release(actor=analyst, organisation=organisation, question=ask())
    assert total.total.value == 21

    table = statistics_release(actor=analyst, organisation=organisation, question=ask(by="citizenship"))

    assert table.total.value == 21 and table.cells[("UA",)].suppressed
    assert table.cells[("RU",)].suppressed and table.cells[("BY",)].value == 12  # 21 - 12 = 9: UA in [1, 8]


def test_a_table_that_cannot_be_protected_beside_earlier_figures_is_refused(organisation, analyst) -> None:
    people_with_threats(organisation, 4, 2023, 3, citizenship="BY")
    people_with_threats(organisation, 2, 2023, 4, citizenship="UA")
    statistics_release(actor=analyst, organisation=organisation, question=ask())  # 6 people, published
    before = written()

    with pytest.raises(DisclosureRefused, match="whatever else were hidden"):
        statistics_release(actor=analyst, organisation=organisation, question=ask(by="citizenship"))
    assert written() == before
