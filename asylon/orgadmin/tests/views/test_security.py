"""The console's security pages: four-eyes resets through two admins' browsers, emergency revocation,
the seized-device response; re-authentication first; other roles and organisations refused."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from asylon.accounts.models import ApiToken, Membership, Role
from asylon.accounts.tokens import api_token_create
from asylon.audit.models import AuditEntry
from asylon.orgsecurity.models import FactorResetRequest, FactorResetStatus
from tests.factories import OrganisationFactory, case_with_member, enrol_second_factor, reauthenticated, sign_in, staff

pytestmark = pytest.mark.django_db


def url(name, organisation, *args):
    return reverse(f"orgadmin:{name}", args=[organisation.slug, *args])


@pytest.fixture
def second_admin(organisation):
    return staff(organisation, Role.ORG_ADMIN)


@pytest.fixture
def second_client(second_admin):
    return reauthenticated(sign_in(Client(), second_admin))


@pytest.fixture
def holder(organisation):
    user = staff(organisation)
    enrol_second_factor(user, Authenticator.Type.TOTP)
    return user


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_four_eyes_reset_through_the_pages(admin_client, second_client, organisation, org_admin, holder):
    member_page = admin_client.get(url("member", organisation, holder.pk)).content.decode()
    assert url("member_factor_reset", organisation, holder.pk) in member_page

    asked = admin_client.post(url("member_factor_reset", organisation, holder.pk), {"reason": "lost", "confirm": "on"})
    reset = FactorResetRequest.objects.get(user=holder)
    assert asked.status_code == 302 and asked["Location"] == url("factor_reset", organisation, reset.pk)

    own_view = admin_client.get(url("factor_reset", organisation, reset.pk)).content.decode()
    assert url("factor_reset_withdraw", organisation, reset.pk) in own_view
    assert url("factor_reset_approve", organisation, reset.pk) not in own_view
    refused = admin_client.post(url("factor_reset_approve", organisation, reset.pk), follow=True)
    assert any("second admin" in message for message in messages_of(refused))
    assert Authenticator.objects.filter(user=holder).exists()

    overview = second_client.get(url("security", organisation)).content.decode()
    assert holder.email in overview and url("factor_reset", organisation, reset.pk) in overview
    second_view = second_client.get(url("factor_reset", organisation, reset.pk)).content.decode()
    assert url("factor_reset_approve", organisation, reset.pk) in second_view
    approved = second_client.post(url("factor_reset_approve", organisation, reset.pk), follow=True)
    assert approved.status_code == 200
    assert any("Approved" in message for message in messages_of(approved))
    assert not Authenticator.objects.filter(user=holder).exists()
    reset.refresh_from_db()
    assert reset.status == FactorResetStatus.APPROVED
    assert list(
        AuditEntry.objects.filter(action__startswith="factor_reset.")
        .order_by("sequence")
        .values_list("action", flat=True)
    ) == ["factor_reset.request", "factor_reset.approve"]


def test_refuse_and_withdraw_through_the_pages(admin_client, second_client, organisation, holder):
    admin_client.post(url("member_factor_reset", organisation, holder.pk), {"reason": "stolen", "confirm": "on"})
    first = FactorResetRequest.objects.get(user=holder)
    second_client.post(url("factor_reset_refuse", organisation, first.pk))
    first.refresh_from_db()
    assert first.status == FactorResetStatus.REFUSED
    admin_client.post(url("member_factor_reset", organisation, holder.pk), {"reason": "broken", "confirm": "on"})
    again = FactorResetRequest.objects.get(user=holder, status=FactorResetStatus.PENDING)
    admin_client.post(url("factor_reset_withdraw", organisation, again.pk))
    again.refresh_from_db()
    assert again.status == FactorResetStatus.CANCELLED
    assert Authenticator.objects.filter(user=holder).exists()
    history = admin_client.get(url("security", organisation)).content.decode()
    assert "refused by a second admin" in history and "withdrawn by the admin who asked" in history


def test_a_reset_needs_the_confirmation_and_a_reason(admin_client, organisation, holder):
    response = admin_client.post(url("member_factor_reset", organisation, holder.pk), {"reason": "lost"})
    assert response.status_code == 200 and response.context["form"].errors["confirm"]
    response = admin_client.post(url("member_factor_reset", organisation, holder.pk), {"reason": "x", "confirm": "on"})
    assert response.context["form"].errors["reason"]
    assert not FactorResetRequest.objects.exists()


def test_revoke_through_the_page_signs_the_person_out_everywhere(admin_client, organisation, holder):
    case = case_with_member(organisation, holder)
    their_browser = sign_in(Client(), holder)
    api_token_create(actor=holder, organisation=organisation, label="Script")
    page = admin_client.get(url("member_revoke", organisation, holder.pk)).content.decode()
    assert "every session of the account ends" in page

    response = admin_client.post(url("member_revoke", organisation, holder.pk), {"reason": "left", "confirm": "on"})

    assert response.status_code == 302 and response["Location"] == url("staff", organisation)
    assert their_browser.get(reverse("home")).url.startswith(reverse("account_login"))
    assert not Membership.objects.filter(user=holder).exists()
    assert not case.memberships.filter(user=holder).exists()
    assert ApiToken.objects.get(user=holder).revoked_at is not None
    assert AuditEntry.objects.filter(action="user.revoke_all", target_id=str(holder.pk)).count() == 1
    after = admin_client.get(response["Location"])
    assert any("was revoked" in message for message in messages_of(after))


def test_revoke_needs_the_confirmation_and_refuses_oneself(admin_client, organisation, org_admin, holder):
    response = admin_client.post(url("member_revoke", organisation, holder.pk), {"reason": "left"})
    assert response.status_code == 200 and response.context["form"].errors["confirm"]
    assert Membership.objects.filter(user=holder).exists()
    own = admin_client.get(url("member_revoke", organisation, org_admin.pk)).content.decode()
    assert "You cannot revoke your own access" in own
    response = admin_client.post(url("member_revoke", organisation, org_admin.pk), {"reason": "left", "confirm": "on"})
    assert response.status_code == 200
    assert "You cannot revoke your own access" in str(response.context["form"].non_field_errors())
    assert Membership.objects.filter(user=org_admin).exists()


def test_device_seized_shows_a_one_time_password_once(admin_client, organisation, holder):
    their_browser = sign_in(Client(), holder)
    response = admin_client.post(url("member_device_seized", organisation, holder.pk), {"confirm": "on"})
    assert response.status_code == 200
    password = response.context["revocation"].one_time_password
    assert password and password in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    holder.refresh_from_db()
    assert holder.check_password(password) and holder.must_change_password
    assert Membership.objects.filter(user=holder, organisation=organisation).exists()
    assert not Authenticator.objects.filter(user=holder).exists()
    assert their_browser.get(reverse("home")).url.startswith(reverse("account_login"))
    assert AuditEntry.objects.filter(action="user.device_seized").count() == 1


def test_changes_ask_for_reauthentication_first(org_admin, organisation, holder, second_admin):
    reset = FactorResetRequest.objects.create(
        organisation=organisation, user=holder, requested_by=second_admin, reason="lost", expires_at="2999-01-01T00:00Z"
    )
    client = sign_in(Client(), org_admin)  # signed in, not re-authenticated
    for target, method in (
        (url("member_factor_reset", organisation, holder.pk), client.get),
        (url("member_revoke", organisation, holder.pk), client.get),
        (url("member_device_seized", organisation, holder.pk), client.get),
        (url("factor_reset_approve", organisation, reset.pk), client.post),
        (url("factor_reset_refuse", organisation, reset.pk), client.post),
    ):
        response = method(target)
        assert response.status_code == 302 and reverse("account_reauthenticate") in response["Location"], target
    assert Authenticator.objects.filter(user=holder).exists()
    reset.refresh_from_db()
    assert reset.status == FactorResetStatus.PENDING


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LAWYER, Role.ANALYST, Role.VIEWER, Role.AUDITOR])
def test_other_roles_find_nothing(organisation, holder, role):
    client = reauthenticated(sign_in(Client(), staff(organisation, role)))
    for name in ("member_factor_reset", "member_revoke", "member_device_seized"):
        assert client.get(url(name, organisation, holder.pk)).status_code == 404
        assert client.post(url(name, organisation, holder.pk), {"reason": "left", "confirm": "on"}).status_code == 404
    assert client.get(url("security", organisation)).status_code == 404
    assert Membership.objects.filter(user=holder).exists() and Authenticator.objects.filter(user=holder).exists()


def test_another_organisations_people_and_requests_are_not_found(admin_client, organisation):
    other = OrganisationFactory()
    foreigner = staff(other)
    foreign_admins = [staff(other, Role.ORG_ADMIN)]
    reset = FactorResetRequest.objects.create(
        organisation=other,
        user=foreigner,
        requested_by=foreign_admins[0],
        reason="lost",
        expires_at="2999-01-01T00:00Z",
    )
    assert admin_client.get(url("member_revoke", organisation, foreigner.pk)).status_code == 404
    assert admin_client.post(url("factor_reset_approve", organisation, reset.pk)).status_code == 404
    assert admin_client.post(url("factor_reset_approve", other, reset.pk)).status_code == 404
    reset.refresh_from_db()
    assert reset.status == FactorResetStatus.PENDING


def test_the_security_page_lists_the_latest_revocations(admin_client, organisation, holder):
    seized = staff(organisation)
    admin_client.post(url("member_device_seized", organisation, seized.pk), {"confirm": "on"})
    admin_client.post(url("member_revoke", organisation, holder.pk), {"reason": "left", "confirm": "on"})
    response = admin_client.get(url("security", organisation))
    rows = response.context["emergencies"]
    assert [(row.account, row.seized) for row in rows] == [(holder, False), (seized, True)]
    page = response.content.decode()
    assert holder.email in page and seized.email in page and "device seized" in page
