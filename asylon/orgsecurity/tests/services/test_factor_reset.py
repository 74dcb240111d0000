"""Four-eyes second-factor reset: one admin asks, a second admin (neither the asker nor the account's
holder) approves or refuses; requests expire; every step is audited and bad input changes nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from asylon.accounts.models import Membership, Role
from asylon.accounts.services_factor_reset import (
    factor_reset_approve,
    factor_reset_cancel,
    factor_reset_refuse,
    factor_reset_request,
    factor_resets_expire,
)
from asylon.audit.models import AuditEntry
from asylon.orgsecurity.models import FactorResetRequest, FactorResetStatus
from asylon.orgsecurity.tasks import factor_resets_expire_hourly
from tests.factories import TEST_PASSWORD, OrganisationFactory, enrol_second_factor, sign_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_admin(organisation):
    return staff(organisation, Role.ORG_ADMIN)


@pytest.fixture
def holder(organisation):
    """A caseworker who lost the phone with their authenticator app (and holds recovery codes)."""
    user = staff(organisation)
    enrol_second_factor(user, Authenticator.Type.TOTP)
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"})
    return user


def test_request_then_second_admin_approves_removes_every_factor_and_session(
    organisation, org_admin, second_admin, holder
):
    open_session = sign_in(Client(), holder)  # left open on the lost phone's browser
    reset = factor_reset_request(actor=org_admin, organisation=organisation, user=holder, reason="lost")
    assert reset.status == FactorResetStatus.PENDING
    assert Authenticator.objects.filter(user=holder).count() == 2  # nothing happens before the second admin

    factor_reset_approve(actor=second_admin, reset=reset)

    reset.refresh_from_db()
    assert reset.status == FactorResetStatus.APPROVED
    assert reset.decided_by == second_admin and reset.decided_at is not None
    assert not Authenticator.objects.filter(user=holder).exists()
    assert open_session.get(reverse("home")).url.startswith(reverse("account_login"))
    actions = list(AuditEntry.objects.filter(action__startswith="factor_reset.").values_list("action", flat=True))
    assert actions == ["factor_reset.request", "factor_reset.approve"]
    approval = AuditEntry.objects.get(action="factor_reset.approve")
    assert approval.actor_id == second_admin.pk
    assert approval.target_id == str(reset.pk)
    assert approval.details == {
        "user": str(holder.pk),
        "requested_by": str(org_admin.pk),
        "authenticators": {"recovery_codes": 1, "totp": 1},
        "sessions": 1,
    }
    request_entry = AuditEntry.objects.get(action="factor_reset.request")
    assert request_entry.actor_id == org_admin.pk
    assert request_entry.details == {"user": str(holder.pk), "reason": "lost"}


def test_after_the_reset_the_next_sign_in_leads_to_enrolment(organisation, org_admin, second_admin, holder):
    reset = factor_reset_request(actor=org_admin, organisation=organisation, user=holder, reason="broken")
    factor_reset_approve(actor=second_admin, reset=reset)
    client = Client()
    client.post(reverse("account_login"), {"login": holder.email, "password": TEST_PASSWORD})
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_index")  # a caseworker may choose a passkey or an authenticator app


def test_the_admin_who_asked_cannot_approve_or_refuse(organisation, org_admin, holder):
    reset = factor_reset_request(actor=org_admin, organisation=organisation, user=holder, reason="lost")
    with pytest.raises(ValidationError, match="second admin"):
        factor_reset_approve(actor=org_admin, reset=reset)
    with pytest.raises(ValidationError, match="second admin"):
        factor_reset_refuse(actor=org_admin, reset=reset)
    reset.refresh_from_db()
    assert reset.status == FactorResetStatus.PENDING
    assert Authenticator.objects.filter(user=holder).count() == 2


def test_the_holder_cannot_approve_their_own_reset_nor_ask_for_it(organisation, org_admin, second_admin):
    admin_holder = staff(organisation, Role.ORG_ADMIN)
    enrol_second_factor(admin_holder)
    with pytest.raises(ValidationError):
        factor_reset_request(actor=admin_holder, organisation=organisation, user=admin_holder, reason="lost")
    reset = factor_reset_request(actor=org_admin, organisation=organisation, user=admin_holder, reason="lost")
    with pytest.raises(ValidationError, match="your own"):
        factor_reset_approve(actor=admin_holder, reset=reset)
    assert Authenticator.objects.filter(user=admin_holder).exists()
    factor_reset_approve(actor=second_admin, reset=reset)
    assert not Authenticator.objects.filter(user=admin_holder).exists()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LAWYER, Role.ANALYST, Role.VIEWER, Role.AUDITOR])
def test_only_organisation_admins_ask_and_decide(organisation, org_admin, holder, role):
    actor = staff(organisation, role)
    with pytest.raises(PermissionDenied):
        factor_reset_request(actor=actor, organisation=organisation, user=holder, reason="lost")
    reset = factor_reset_request(actor=org_admin, organisation=organisation, user=holder, reason="lost")
    with pytest.raises(PermissionDenied):
        factor_reset_approve(actor=actor, reset=reset)
    with pytest.raises(PermissionDenied):
        factor_reset_refuse(actor=actor, reset=reset)
    assert Authenticator.objects.filter(user=holder).count() == 2


def test_an_admin_of_another_organisation_cannot_decide(organisation, org_admin, holder):
    stranger = staff(OrganisationFactory(), Role.ORG_ADMIN)
    reset = factor_reset_request(actor=org_admin, organisation=organisation, user=holder, reason="lost")
    with pytest.raises(PermissionDenied):
        factor_reset_approve(actor=stranger, reset=reset)
    with pytest.raises(PermissionDenied):
        factor_reset_request(actor=stranger, organisation=organisation, user=holder, reason="stolen")


def test_refusal_changes_nothing_for_the_account(organisation, org_admin, second_admin, holder):
    reset = factor_reset_request(actor=org_admin, organisation=organisation, user=holder, reason="replaced")
    factor_reset_refuse(actor=second_admin, reset=reset)
    reset.refresh_from_db()
    assert reset.status == FactorResetStatus.REFUSED and reset.decided_by == second_admin
    assert Authenticator.objects.filter(user=holder).count() == 2
    with pytest.raises(ValidationError, match="no longer waiting"):
        factor_reset_approve(actor=second_admin, reset=reset)
    assert AuditEntry.objects.filter(action="factor_reset.refuse", actor_id=second_admin.pk).count() == 1


def test_the_asker_may_withdraw_and_no_one_else(organisation, org_admin, second_admin, holder):
    reset = factor_reset_request(actor=org_admin, organisation=organisation, user=holder, reason="lost")
    with pytest.raises(ValidationError):
        factor_reset_cancel(actor=second_admin, reset=reset)
    factor_reset_cancel(actor=org_admin, reset=reset)
    reset.refresh_from_db()
    assert reset.status == FactorResetStatus.CANCELLED
    assert AuditEntry.objects.filter(action="factor_reset.cancel").count() == 1
    # Withdrawn, a new request may be made.
    factor_reset_request(actor=org_admin, organisation=organisation, user=holder, reason="stolen")


def test_one_pending_request_per_account(organisation, org_admin, second_admin, holder):
    factor_reset_request(actor=org_admin, organisation=organisation, user=holder, reason="lost")
    with pytest.raises(ValidationError, match="already waiting"):
        factor_reset_request(actor=second_admin, organisation=organisation, user=holder, reason="stolen")
    assert FactorResetRequest.objects.count() == 1


def test_requests_expire_and_an_expired_one_cannot_be_approved(organisation, org_admin, second_admin, holder):
    reset = factor_reset_request(actor=org_admin, organisation=organisation, user=holder, reason="lost")
    later = timezone.now() + FactorResetRequest.LIFETIME + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        with pytest.raises(ValidationError, match="expired"):
            factor_reset_approve(actor=second_admin, reset=reset)
        assert Authenticator.objects.filter(user=holder).count() == 2
        assert factor_resets_expire_hourly.call_local() == 1
        assert factor_resets_expire() == 0  # once only
    reset.refresh_from_db()
    assert reset.status == FactorResetStatus.EXPIRED
    entry = AuditEntry.objects.get(action="factor_reset.expire")
    assert entry.actor_id is None and entry.target_id == str(reset.pk) and entry.organisation_id == organisation.pk


def test_an_account_of_several_organisations_is_refused(organisation, org_admin, holder):
    Membership.objects.create(user=holder, organisation=OrganisationFactory(), role=Role.CASEWORKER)
    with pytest.raises(ValidationError, match="another organisation"):
        factor_reset_request(actor=org_admin, organisation=organisation, user=holder, reason="lost")
    assert not FactorResetRequest.objects.exists()


def test_bad_input_is_refused_with_a_message_and_nothing_written(organisation, org_admin):
    outsider = staff(OrganisationFactory())
    with pytest.raises(ValidationError) as not_member:
        factor_reset_request(actor=org_admin, organisation=organisation, user=outsider, reason="lost")
    assert "user" in not_member.value.error_dict
    with pytest.raises(ValidationError) as bad_reason:
        factor_reset_request(actor=org_admin, organisation=organisation, user=staff(organisation), reason="'; DROP")
    assert "reason" in bad_reason.value.error_dict
    assert not FactorResetRequest.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="factor_reset.").exists()


def test_an_account_that_joined_another_organisation_meanwhile_is_not_reset(
    organisation, org_admin, second_admin, holder
):
    reset = factor_reset_request(actor=org_admin, organisation=organisation, user=holder, reason="lost")
    Membership.objects.create(user=holder, organisation=OrganisationFactory(), role=Role.VIEWER)
    with pytest.raises(ValidationError, match="another organisation"):
        factor_reset_approve(actor=second_admin, reset=reset)
    assert Authenticator.objects.filter(user=holder).count() == 2
