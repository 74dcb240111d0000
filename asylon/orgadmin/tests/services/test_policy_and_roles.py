"""The policy page's service and role changes (services_policy.py, services_members.py)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.accounts.models import Membership, OrgPolicy, Role
from asylon.accounts.services_members import member_role_change
from asylon.accounts.services_policy import policy_save, policy_update
from asylon.audit.models import AuditEntry
from tests.factories import staff

VALID = {"disclosure_threshold": 7, "closed_case_retention_days": 3650, "intake_retention_days": 60}


def test_policy_update_saves_and_audits_the_changed_fields(organisation, org_admin):
    policy = policy_update(actor=org_admin, organisation=organisation, **VALID)

    assert (policy.disclosure_threshold, policy.closed_case_retention_days, policy.intake_retention_days) == (
        7,
        3650,
        60,
    )
    entry = AuditEntry.objects.get(action="policy.update")
    assert entry.actor == org_admin
    assert sorted(entry.changed_fields) == sorted(VALID)
    policy_update(actor=org_admin, organisation=organisation, **VALID)
    assert AuditEntry.objects.filter(action="policy.update").count() == 1  # nothing changed, nothing recorded


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("disclosure_threshold", 2),
        ("disclosure_threshold", 101),
        ("closed_case_retention_days", 30),
        ("intake_retention_days", 0),
        ("intake_retention_days", "90"),
        ("intake_retention_days", True),
    ],
)
def test_out_of_range_values_change_nothing(organisation, org_admin, field, value):
    before = OrgPolicy.objects.values().get(organisation=organisation)
    with pytest.raises(ValidationError) as refused:
        policy_update(actor=org_admin, organisation=organisation, **{**VALID, field: value})
    assert list(refused.value.error_dict) == [field]
    assert OrgPolicy.objects.values().get(organisation=organisation) == before
    assert not AuditEntry.objects.filter(action="policy.update").exists()


def test_policy_save_sets_totp_roles_with_passkeys_always_allowed(organisation, org_admin):
    policy = policy_save(actor=org_admin, organisation=organisation, totp_roles=[Role.LAWYER], **VALID)

    assert policy.mfa_methods[Role.LAWYER] == ["totp", "webauthn"]
    assert policy.mfa_methods[Role.CASEWORKER] == ["webauthn"]
    assert AuditEntry.objects.filter(action="policy.mfa_methods").count() == 1
    policy_save(actor=org_admin, organisation=organisation, totp_roles=[Role.LAWYER], **VALID)
    assert AuditEntry.objects.filter(action="policy.mfa_methods").count() == 1


def test_policy_save_refuses_unknown_roles_and_bad_values_together(organisation, org_admin):
    before = OrgPolicy.objects.values().get(organisation=organisation)
    with pytest.raises(ValidationError):
        policy_save(actor=org_admin, organisation=organisation, totp_roles=["pope"], **VALID)
    with pytest.raises(ValidationError):
        policy_save(actor=org_admin, organisation=organisation, totp_roles=[], **{**VALID, "disclosure_threshold": 1})
    assert OrgPolicy.objects.values().get(organisation=organisation) == before


def test_only_admins_change_the_policy(organisation, caseworker):
    with pytest.raises(PermissionDenied):
        policy_save(actor=caseworker, organisation=organisation, totp_roles=[], **VALID)
    with pytest.raises(PermissionDenied):
        policy_update(actor=caseworker, organisation=organisation, **VALID)


def test_role_change_is_audited(organisation, org_admin, caseworker):
    membership = member_role_change(actor=org_admin, organisation=organisation, user=caseworker, role=Role.LAWYER)

    assert membership.role == Role.LAWYER
    entry = AuditEntry.objects.get(action="membership.set")
    assert entry.actor == org_admin and entry.details == {"role": Role.LAWYER, "previous_role": Role.CASEWORKER}


def test_the_last_admin_keeps_the_role(organisation, org_admin):
    with pytest.raises(ValidationError, match="at least one admin"):
        member_role_change(actor=org_admin, organisation=organisation, user=org_admin, role=Role.VIEWER)
    assert Membership.objects.get(user=org_admin).role == Role.ORG_ADMIN

    second = staff(organisation, Role.ORG_ADMIN)
    member_role_change(actor=second, organisation=organisation, user=org_admin, role=Role.VIEWER)
    assert Membership.objects.get(user=org_admin).role == Role.VIEWER


def test_roles_change_only_for_members_by_admins(organisation, org_admin, caseworker, outsider):
    with pytest.raises(ValidationError, match="not a member"):
        member_role_change(actor=org_admin, organisation=organisation, user=outsider, role=Role.VIEWER)
    with pytest.raises(ValidationError):
        member_role_change(actor=org_admin, organisation=organisation, user=caseworker, role="pope")
    with pytest.raises(PermissionDenied):
        member_role_change(actor=caseworker, organisation=organisation, user=caseworker, role=Role.ORG_ADMIN)
    assert not Membership.objects.filter(user=outsider, organisation=organisation).exists()
    assert Membership.objects.get(user=caseworker).role == Role.CASEWORKER
