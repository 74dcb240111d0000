"""cases_visible_to, cases_listed and case_rows: who sees which case, filters in the database, names by clearance."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from asylon.accounts.models import Role
from asylon.cases.models import CaseMembership, Note
from asylon.cases.selectors import cases_visible_to
from asylon.cases.selectors_case_list import case_rows, cases_listed
from asylon.cases.selectors_case_page import notes_display
from asylon.cases.services.decisions import decision_record
from asylon.people.services import person_create
from tests.factories import CaseFactory, case_with_member, staff

pytestmark = pytest.mark.django_db


def test_a_case_with_several_members_is_listed_once(organisation, caseworker, lawyer, case):
    CaseMembership.objects.create(organisation=organisation, case=CaseFactory(organisation=organisation), user=lawyer)
    assert list(cases_visible_to(caseworker)) == [case]
    assert cases_visible_to(lawyer).count() == 2


def test_an_admin_sees_every_case_of_the_organisation_and_an_analyst_none(organisation, org_admin, analyst, case):
    CaseFactory(organisation=organisation)
    assert cases_visible_to(org_admin).count() == 2
    assert not cases_visible_to(analyst).exists()


def test_another_organisation_is_never_listed(outsider, case):
    case_with_member(outsider.memberships.get().organisation, outsider)
    assert case not in cases_visible_to(outsider)


def test_name_search_matches_through_any_party_and_no_row_is_repeated(caseworker, case):
    person_create(actor=caseworker, case=case, given_name="Сяргей", family_name="Тэставы")
    person_create(actor=caseworker, case=case, given_name="Сергей", family_name="Тестовый", role="co_applicant")
    assert list(cases_listed(user=caseworker, filters={"q": "Siarhei"})) == [case]
    assert list(cases_listed(user=caseworker, filters={"q": "Нішто"})) == []


def test_filters_use_no_join_that_repeats_cases(caseworker, case):
    for day in (4, 5):
        decision_record(
            actor=caseworker,
            case=case,
            decision_type="residence_permit_temporary",
            decision_maker="migration_department",
            outcome="refuse",
            grounds=["national_security_threat_unspecified", "past_compulsory_military_service"],
            decided_on=datetime.date(2024, 3, 1),
            served_on=datetime.date(2024, 3, day),
        )
    listed = cases_listed(
        user=caseworker,
        filters={"decision_type": "residence_permit_temporary", "grounds": "past_compulsory_military_service"},
    )
    assert list(listed) == [case]
    assert "DISTINCT" not in str(listed.query).upper()


def test_rows_name_clients_only_within_clearance_in_a_fixed_number_of_queries(organisation, caseworker, case):
    person_create(actor=caseworker, case=case, given_name="Алесь", family_name="Тэставы")
    viewer = staff(organisation, Role.VIEWER)
    CaseMembership.objects.create(organisation=organisation, case=case, user=viewer)

    [row] = case_rows(user=caseworker, case_ids=cases_listed(user=caseworker, filters={}).values_list("pk", flat=True))
    assert row.clients[0].given_name == "Алесь"
    [row] = case_rows(user=viewer, case_ids=cases_listed(user=viewer, filters={}).values_list("pk", flat=True))
    assert not row.clients[0].given_name and "given_name" in row.clients[0].hidden

    for _ in range(5):
        person_create(actor=caseworker, case=case_with_member(organisation, caseworker), given_name="Іван")
    with CaptureQueriesContext(connection) as queries:
        case_rows(user=caseworker, case_ids=cases_listed(user=caseworker, filters={}).values_list("pk", flat=True)[:50])
    assert len(queries) <= 5  # the page's ids, its cases, their deadlines, their clients, the roles


def test_notes_display_never_gives_a_caseworker_a_privileged_note(case, caseworker, lawyer):
    Note.objects.create(organisation=case.organisation, case=case, body="plain")
    Note.objects.create(organisation=case.organisation, case=case, body="advice", privileged=True)
    assert [note.body for note in notes_display(user=caseworker, case=case)] == ["plain"]
    assert sorted(note.body for note in notes_display(user=lawyer, case=case)) == ["advice", "plain"]


@pytest.mark.parametrize(("few", "many"), [(500, 7000), (0, 7000), (0, 0)], ids=["id list", "subquery", "per case"])
def test_type_filters_find_the_same_cases_whichever_way_the_database_is_asked(
    monkeypatch, organisation, caseworker, lawyer, case, few, many
):
    """How common a type is only changes how the filter is asked, never what it finds."""
    from asylon.cases import selectors_case_list
    from asylon.cases.services.events import event_record

    other = case_with_member(organisation, caseworker, lawyer)
    for target in (case, other):
        event_record(actor=caseworker, case=target, event_type="summons_issued", date_precision="year", year=2022)
    decision_record(
        actor=caseworker,
        case=case,
        decision_type="residence_permit_temporary",
        decision_maker="migration_department",
        grounds=["national_security_threat_unspecified"],
        served_on=datetime.date(2024, 3, 4),
    )
    monkeypatch.setattr(selectors_case_list, "FEW_CASES", few)
    monkeypatch.setattr(selectors_case_list, "MANY_CASES", many)

    def found(**filters):
        return set(cases_listed(user=caseworker, filters=filters).values_list("reference", flat=True))

    assert found(event_type="summons_issued") == {case.reference, other.reference}
    assert found(event_type="conviction") == set()
    assert found(decision_type="residence_permit_temporary") == {case.reference}
    assert found(grounds="national_security_threat_unspecified") == {case.reference}
