import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.cases.models import Case, CaseMembership
from asylon.cases.services.case import case_open, case_update


def test_open_case_makes_creator_a_member_and_audits(organisation, caseworker):
    case = case_open(
        actor=caseworker,
        organisation=organisation,
        summary="Refused residence",
        risk="high",
        opened_on=datetime.date(2024, 2, 1),
    )

    assert case.reference == "LT-2024-00001"
    assert Case.objects.get(pk=case.pk).summary == "Refused residence"
    assert CaseMembership.objects.filter(case=case, user=caseworker).exists()
    assert AuditEntry.objects.filter(action="case.open", target_id=str(case.pk), actor=caseworker).exists()


def test_references_are_numbered_per_year(organisation, caseworker):
    first = case_open(actor=caseworker, organisation=organisation, opened_on=datetime.date(2024, 2, 1))
    second = case_open(actor=caseworker, organisation=organisation, opened_on=datetime.date(2024, 3, 1))
    assert (first.reference, second.reference) == ("LT-2024-00001", "LT-2024-00002")


def test_duplicate_reference_is_a_field_error(organisation, caseworker):
    case_open(actor=caseworker, organisation=organisation, reference="LT-X")
    with pytest.raises(ValidationError) as raised:
        case_open(actor=caseworker, organisation=organisation, reference="LT-X")
    assert "reference" in raised.value.message_dict
    assert Case.objects.count() == 1


def test_invalid_risk_writes_nothing(organisation, caseworker):
    with pytest.raises(ValidationError) as raised:
        case_open(actor=caseworker, organisation=organisation, risk="apocalyptic")
    assert "risk" in raised.value.message_dict
    assert not Case.objects.exists()
    assert not AuditEntry.objects.filter(action="case.open").exists()


@pytest.mark.parametrize("role_fixture", ["analyst", "outsider"])
def test_analysts_and_outsiders_cannot_open_cases(request, organisation, role_fixture):
    with pytest.raises(PermissionDenied):
        case_open(actor=request.getfixturevalue(role_fixture), organisation=organisation)
    assert not Case.objects.exists()


def test_update_and_close(case, caseworker):
    case_update(actor=caseworker, case=case, status="closed", closed_on=datetime.date(2024, 6, 1))
    case.refresh_from_db()
    assert case.status == "closed"
    assert AuditEntry.objects.get(action="case.update").changed_fields == ["closed_on", "status"]


def test_close_before_opening_is_refused(case, caseworker):
    with pytest.raises(ValidationError) as raised:
        case_update(actor=caseworker, case=case, closed_on=datetime.date(2000, 1, 1))
    assert "closed_on" in raised.value.message_dict
    case.refresh_from_db()
    assert case.closed_on is None


def test_non_member_caseworker_cannot_update(case, organisation):
    from tests.factories import staff

    with pytest.raises(PermissionDenied):
        case_update(actor=staff(organisation), case=case, risk="low")
