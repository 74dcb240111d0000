import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.cases.models import CaseMembership
from asylon.cases.selectors import cases_visible_to
from asylon.cases.services.case import case_member_add, case_member_remove
from tests.factories import staff


def test_admin_grants_and_withdraws_access(case, organisation, org_admin):
    newcomer = staff(organisation)
    assert case not in cases_visible_to(newcomer)

    case_member_add(actor=org_admin, case=case, user=newcomer)
    assert case in cases_visible_to(newcomer)
    case_member_remove(actor=org_admin, case=case, user=newcomer)

    assert case not in cases_visible_to(newcomer)
    assert AuditEntry.objects.filter(action="case.member_add", target_id=str(case.pk)).exists()
    assert AuditEntry.objects.filter(action="case.member_remove", target_id=str(case.pk)).exists()


def test_caseworker_cannot_grant_access(case, caseworker, organisation):
    with pytest.raises(PermissionDenied):
        case_member_add(actor=caseworker, case=case, user=staff(organisation))


def test_user_of_another_organisation_cannot_be_added(case, org_admin, outsider):
    with pytest.raises(ValidationError) as raised:
        case_member_add(actor=org_admin, case=case, user=outsider)
    assert "user" in raised.value.message_dict
    assert not CaseMembership.objects.filter(user=outsider).exists()
