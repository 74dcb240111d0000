import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.accounts.models import OrgPolicy, Role
from asylon.accounts.services import mfa_methods_set
from asylon.audit.models import AuditEntry


def test_admin_allows_totp_for_lawyers_and_passkeys_stay_allowed(organisation, org_admin):
    policy = mfa_methods_set(actor=org_admin, organisation=organisation, methods={Role.LAWYER: ["totp"]})

    assert policy.mfa_methods[Role.LAWYER] == ["totp", "webauthn"]
    assert policy.mfa_methods[Role.ORG_ADMIN] == ["webauthn"]
    entry = AuditEntry.objects.get(action="policy.mfa_methods")
    assert entry.actor == org_admin


@pytest.mark.parametrize("methods", [{"pope": ["totp"]}, {Role.LAWYER: ["sms"]}])
def test_unknown_role_or_factor_changes_nothing(organisation, org_admin, methods):
    before = OrgPolicy.objects.get(organisation=organisation).mfa_methods
    with pytest.raises(ValidationError):
        mfa_methods_set(actor=org_admin, organisation=organisation, methods=methods)
    assert OrgPolicy.objects.get(organisation=organisation).mfa_methods == before
    assert not AuditEntry.objects.filter(action="policy.mfa_methods").exists()


def test_caseworkers_cannot_change_the_policy(organisation, caseworker):
    with pytest.raises(PermissionDenied):
        mfa_methods_set(actor=caseworker, organisation=organisation, methods={Role.LAWYER: ["totp"]})
