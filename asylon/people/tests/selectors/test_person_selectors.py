import datetime

import pytest

from asylon.accounts.models import Role
from asylon.cases.models import StatusPeriod
from asylon.people.selectors import (
    cases_of_persons,
    persons_found,
    relationships_display,
    service_period_get,
    status_periods_display,
)
from asylon.people.services import military_service_add, person_create, relationship_add
from tests.factories import case_with_member, person_on_case, staff


@pytest.fixture
def siarhei(case, caseworker):
    return person_create(
        actor=caseworker,
        case=case,
        given_name="Сяргей",
        family_name="Іваноў",
        identifiers=[{"type": "passport", "country": "BY", "number": "MP 1234567"}],
    )


@pytest.mark.parametrize("spelling", ["Сяргей Іваноў", "Siarhei Ivanou", "Sergei Ivanov"])
def test_three_spellings_find_the_same_person(siarhei, caseworker, spelling):
    assert list(persons_found(user=caseworker, name=spelling)) == [siarhei]


def test_document_number_ignores_spacing_and_both_criteria_must_match(siarhei, caseworker):
    assert list(persons_found(user=caseworker, number="mp1234567")) == [siarhei]
    assert list(persons_found(user=caseworker, name="Sergei", number="MP 1234567")) == [siarhei]
    assert not persons_found(user=caseworker, name="Aleh", number="MP 1234567").exists()
    assert not persons_found(user=caseworker).exists()


def test_a_person_of_a_case_the_user_is_not_member_of_is_not_found(siarhei, organisation):
    other = staff(organisation)
    assert not persons_found(user=other, name="Siarhei").exists()


def test_cases_of_persons_lists_only_visible_cases(siarhei, case, caseworker, organisation):
    other_case = case_with_member(organisation)
    other_case.parties.create(organisation=organisation, person=siarhei, role="witness")

    cases = cases_of_persons(user=caseworker, persons=[siarhei])[siarhei.pk]

    assert [item["case"].reference for item in cases] == [case.reference]


def test_relative_link_only_when_the_relative_is_visible(siarhei, case, caseworker, organisation):
    admin = staff(organisation, Role.ORG_ADMIN)
    sister_case = case_with_member(organisation)
    sister = person_on_case(sister_case, given_name="Ганна")
    relationship_add(actor=admin, person=siarhei, kind="sibling", relative=sister)

    (as_admin,) = relationships_display(user=admin, person=siarhei)
    (as_caseworker,) = relationships_display(user=caseworker, person=siarhei)

    assert as_admin["relative_id"] == sister.pk
    assert as_caseworker["relative_id"] is None


def test_status_periods_are_redacted_by_clearance(siarhei, case, organisation):
    StatusPeriod.objects.create(
        organisation=organisation,
        case=case,
        person=siarhei,
        kind="residence",
        status="refugee",
        started_on=datetime.date(2023, 4, 5),
        start_year=2023,
        start_month=4,
    )
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)

    (period,) = status_periods_display(user=viewer, person=siarhei)

    assert period.status == "refugee" and period.start_year == 2023
    assert not period.started_on


def test_a_service_period_of_another_person_is_not_found(siarhei, case, caseworker, lawyer):
    other = person_create(actor=caseworker, case=case, given_name="Іван")
    period = military_service_add(actor=lawyer, person=other, service_type="conscript")

    from asylon.people.models import MilitaryServicePeriod

    with pytest.raises(MilitaryServicePeriod.DoesNotExist):
        service_period_get(user=caseworker, person=siarhei, period_id=period.pk)
    assert service_period_get(user=caseworker, person=other, period_id=period.pk) == period


def test_a_viewer_cannot_search_by_what_they_may_not_read(siarhei, case, organisation):
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    assert not persons_found(user=viewer, name="Siarhei").exists()
    assert not persons_found(user=viewer, number="MP 1234567").exists()
