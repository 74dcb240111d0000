"""Emergency revocation and offboarding: a revoked user's session, API token and passkey all stop
working at once, in one audited action; bad input changes nothing."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from asylon.accounts.models import ApiToken, Invitation, Membership, Role
from asylon.accounts.services_factor_reset import factor_reset_request
from asylon.accounts.services_revocation import device_seized, user_revoke_all
from asylon.accounts.tokens import api_token_create
from asylon.audit.models import AuditEntry
from asylon.cases.models import CaseMembership, Task
from asylon.orgsecurity.models import FactorResetStatus
from asylon.orgsecurity.tests.passkeys import SoftPasskey, signed_in
from tests.factories import TEST_PASSWORD, OrganisationFactory, case_with_member, enrol_second_factor, sign_in, staff

pytestmark = pytest.mark.django_db


class Credentials:
    """Everything a person may sign in or call the API with: two sessions, a token, a passkey, TOTP."""

    def __init__(self, user, organisation):
        self.user = user
        self.passkey = SoftPasskey()
        registered = self.passkey.enrol(user)
        self.totp = enrol_second_factor(user, Authenticator.Type.TOTP)
        self.laptop = sign_in(Client(), user, registered)
        self.phone = sign_in(Client(), user, registered)
        self.secret = api_token_create(actor=user, organisation=organisation, label="Laptop script").secret

    def session_works(self, client: Client) -> bool:
        return client.get(reverse("home")).status_code == 200

    def token_works(self) -> bool:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {self.secret}")
        return api.get("/api/v1/cases/").status_code == 200

    def passkey_works(self) -> bool:
        client = Client()
        self.passkey.sign_in(client, self.user)
        return signed_in(client)


@pytest.fixture
def second_admin(organisation):
    return staff(organisation, Role.ORG_ADMIN)


def test_revoke_all_stops_session_token_and_passkey_at_once(organisation, org_admin, caseworker):
    case = case_with_member(organisation, caseworker)
    Task.objects.create(organisation=organisation, case=case, title="Call the lawyer", assignee=caseworker)
    case.lead_assignee = caseworker
    case.save()
    held = Credentials(caseworker, organisation)
    assert held.session_works(held.laptop) and held.session_works(held.phone)
    assert held.token_works() and held.passkey_works()

    revocation = user_revoke_all(actor=org_admin, organisation=organisation, user=caseworker, reason="compromised")

    assert not held.session_works(held.laptop)
    assert not held.session_works(held.phone)
    assert not held.token_works()
    assert not held.passkey_works()
    assert not Authenticator.objects.filter(user=caseworker).exists()
    assert not Membership.objects.filter(user=caseworker).exists()
    assert not CaseMembership.objects.filter(user=caseworker).exists()
    caseworker.refresh_from_db()
    assert not caseworker.is_active
    answer = Client().post(reverse("account_login"), {"login": caseworker.email, "password": TEST_PASSWORD})
    assert answer.url == reverse("account_inactive")
    case.refresh_from_db()
    assert case.lead_assignee is None
    assert not Task.objects.filter(assignee=caseworker).exists()
    token = ApiToken.objects.get(user=caseworker)
    assert token.revoked_at is not None
    # The passkey sign-in above counted 2 sessions: 3 in all (laptop, phone, and the passkey's).
    assert revocation.sessions == 3
    assert revocation.authenticators == {"totp": 1, "webauthn": 1}
    entry = AuditEntry.objects.get(action="user.revoke_all")
    assert entry.actor_id == org_admin.pk
    assert entry.target_id == str(caseworker.pk)
    assert entry.organisation_id == organisation.pk
    assert entry.details == {
        "reason": "compromised",
        "sessions": 3,
        "authenticators": {"totp": 1, "webauthn": 1},
        "api_tokens": [str(token.pk)],
        "memberships": 1,
        "case_memberships": 1,
        "lead_cases": 1,
        "assigned_tasks": 1,
        "factor_resets_closed": 0,
        "invitations": [],
        "deactivated": True,
    }


def test_revoke_all_leaves_other_people_signed_in(organisation, org_admin, caseworker, lawyer):
    colleague = sign_in(Client(), lawyer)
    user_revoke_all(actor=org_admin, organisation=organisation, user=caseworker, reason="left")
    assert colleague.get(reverse("home")).status_code == 200
    assert Membership.objects.filter(user=lawyer).exists()


def test_an_account_in_another_organisation_keeps_that_membership_and_stays_active(organisation, org_admin):
    other = OrganisationFactory()
    person = staff(organisation)
    Membership.objects.create(user=person, organisation=other, role=Role.CASEWORKER)
    other_case = case_with_member(other, person)
    enrol_second_factor(person)

    revocation = user_revoke_all(actor=org_admin, organisation=organisation, user=person, reason="left")

    person.refresh_from_db()
    assert person.is_active and not revocation.deactivated
    assert list(Membership.objects.filter(user=person).values_list("organisation", flat=True)) == [other.pk]
    assert CaseMembership.objects.filter(user=person, case=other_case).exists()
    assert not Authenticator.objects.filter(user=person).exists()  # credentials are the account's: cut everywhere


def test_device_seized_keeps_membership_and_replaces_the_password(organisation, org_admin, lawyer):
    case = case_with_member(organisation, lawyer)
    held = Credentials(lawyer, organisation)

    revocation = device_seized(actor=org_admin, organisation=organisation, user=lawyer)

    assert not held.session_works(held.laptop)
    assert not held.token_works()
    assert not held.passkey_works()
    assert not Authenticator.objects.filter(user=lawyer).exists()
    assert Membership.objects.filter(user=lawyer, organisation=organisation, role=Role.LAWYER).exists()
    assert CaseMembership.objects.filter(user=lawyer, case=case).exists()
    lawyer.refresh_from_db()
    assert lawyer.is_active and lawyer.must_change_password
    assert not lawyer.check_password(TEST_PASSWORD)  # the password a browser on the device saved is dead
    assert lawyer.check_password(revocation.one_time_password)
    entry = AuditEntry.objects.get(action="user.device_seized")
    assert entry.details["reason"] == "device_seized"
    assert entry.details["memberships"] == 0
    assert revocation.one_time_password not in str(entry.details)


def test_revocation_closes_pending_factor_resets_for_and_by_the_account(organisation, org_admin, caseworker):
    second = staff(organisation, Role.ORG_ADMIN)
    asked_for = factor_reset_request(actor=org_admin, organisation=organisation, user=caseworker, reason="lost")
    asked_by = factor_reset_request(actor=second, organisation=organisation, user=staff(organisation), reason="lost")

    user_revoke_all(actor=org_admin, organisation=organisation, user=caseworker, reason="left")
    user_revoke_all(actor=org_admin, organisation=organisation, user=second, reason="compromised")

    asked_for.refresh_from_db()
    asked_by.refresh_from_db()
    assert asked_for.status == asked_by.status == FactorResetStatus.CANCELLED


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LAWYER, Role.ANALYST, Role.VIEWER, Role.AUDITOR])
def test_only_organisation_admins_may_revoke(organisation, caseworker, role):
    actor = staff(organisation, role)
    enrol_second_factor(caseworker)
    with pytest.raises(PermissionDenied):
        user_revoke_all(actor=actor, organisation=organisation, user=caseworker, reason="left")
    with pytest.raises(PermissionDenied):
        device_seized(actor=actor, organisation=organisation, user=caseworker)
    assert Authenticator.objects.filter(user=caseworker).exists()
    assert not AuditEntry.objects.filter(action__in=["user.revoke_all", "user.device_seized"]).exists()


def test_an_admin_of_another_organisation_may_not_revoke(organisation, caseworker):
    stranger = staff(OrganisationFactory(), Role.ORG_ADMIN)
    with pytest.raises(PermissionDenied):
        user_revoke_all(actor=stranger, organisation=organisation, user=caseworker, reason="left")
    with pytest.raises(ValidationError):  # their own organisation: the account is not a member there
        user_revoke_all(
            actor=stranger, organisation=stranger.memberships.get().organisation, user=caseworker, reason="left"
        )
    assert Membership.objects.filter(user=caseworker).exists()


def test_bad_input_changes_nothing(organisation, org_admin, caseworker):
    enrol_second_factor(caseworker)
    with pytest.raises(ValidationError) as unknown_reason:
        user_revoke_all(actor=org_admin, organisation=organisation, user=caseworker, reason="because")
    assert "reason" in unknown_reason.value.error_dict
    with pytest.raises(ValidationError) as self_revoke:
        user_revoke_all(actor=org_admin, organisation=organisation, user=org_admin, reason="left")
    assert "user" in self_revoke.value.error_dict
    with pytest.raises(ValidationError):
        device_seized(actor=org_admin, organisation=organisation, user=org_admin)
    assert Authenticator.objects.filter(user=caseworker).exists()
    assert Membership.objects.filter(user=org_admin).exists()
    assert not AuditEntry.objects.filter(action__startswith="user.").exclude(action="user.create").exists()


def test_invitation_links_the_account_issued_stop_working(organisation, org_admin):
    from asylon.accounts.services_invitations import invitation_create, invitation_for_secret, invitation_status

    infiltrator = staff(organisation, Role.ORG_ADMIN)
    issued = invitation_create(
        actor=infiltrator, organisation=organisation, email="accomplice@example.org", role="lawyer"
    )
    colleague_link = invitation_create(
        actor=org_admin, organisation=organisation, email="new@example.org", role="viewer"
    )

    revocation = user_revoke_all(actor=org_admin, organisation=organisation, user=infiltrator, reason="compromised")

    with pytest.raises(Invitation.DoesNotExist):  # the link no longer opens anything
        invitation_for_secret(issued.secret)
    assert invitation_status(invitation_for_secret(colleague_link.secret)) == "pending"
    assert revocation.invitation_ids == [str(issued.invitation.pk)]
    entry = AuditEntry.objects.get(action="user.revoke_all")
    assert entry.details["invitations"] == [str(issued.invitation.pk)]
