"""Invitations: create, withdraw, accept (asylon/accounts/services_invitations.py)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from asylon.accounts.models import Invitation, Membership, Role, User
from asylon.accounts.services_invitations import (
    INVITATION_LIFETIME_DAYS,
    invitation_accept,
    invitation_create,
    invitation_digest,
    invitation_for_secret,
    invitation_revoke,
    invitation_status,
)
from asylon.audit.models import AuditEntry
from tests.factories import TEST_PASSWORD

NEW_PASSWORD = "a long passphrase nobody guesses 8141"


def test_admin_invites_and_only_the_digest_is_stored(organisation, org_admin):
    issued = invitation_create(actor=org_admin, organisation=organisation, email="New@Example.org ", role=Role.LAWYER)

    invitation = Invitation.objects.get()
    assert invitation.email == "New@example.org"
    assert invitation.role == Role.LAWYER
    assert invitation.digest == invitation_digest(issued.secret)
    assert issued.secret not in str(Invitation.objects.values().get())
    assert len(issued.secret) >= 43
    lifetime = invitation.expires_at - timezone.now()
    assert datetime.timedelta(days=INVITATION_LIFETIME_DAYS - 1) < lifetime <= datetime.timedelta(days=7)
    entry = AuditEntry.objects.get(action="invitation.create")
    assert entry.actor == org_admin
    assert entry.details["role"] == Role.LAWYER
    assert "New@" not in str(entry.details)


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [("not an address", Role.CASEWORKER, "email"), ("a@example.org", "pope", "role")],
)
def test_bad_input_is_refused_and_nothing_is_written(organisation, org_admin, email, role, field):
    with pytest.raises(ValidationError) as refused:
        invitation_create(actor=org_admin, organisation=organisation, email=email, role=role)
    assert field in refused.value.error_dict
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.filter(action="invitation.create").exists()


def test_an_existing_account_or_open_invitation_is_refused(organisation, org_admin, caseworker):
    with pytest.raises(ValidationError, match="already exists"):
        invitation_create(actor=org_admin, organisation=organisation, email=caseworker.email.upper(), role="viewer")
    invitation_create(actor=org_admin, organisation=organisation, email="twice@example.org", role="viewer")
    with pytest.raises(ValidationError, match="open invitation"):
        invitation_create(actor=org_admin, organisation=organisation, email="twice@example.org", role="viewer")
    assert Invitation.objects.count() == 1


def test_only_admins_of_the_organisation_invite(organisation, caseworker, outsider):
    from tests.factories import OrganisationFactory, staff

    foreign_admin = staff(OrganisationFactory(), Role.ORG_ADMIN)
    for actor in (caseworker, foreign_admin):
        with pytest.raises(PermissionDenied):
            invitation_create(actor=actor, organisation=organisation, email="x@example.org", role="viewer")
    assert not Invitation.objects.exists()


def test_accepting_creates_the_account_with_the_role_and_spends_the_link(organisation, org_admin):
    issued = invitation_create(actor=org_admin, organisation=organisation, email="new@example.org", role="caseworker")

    user = invitation_accept(secret=issued.secret, password=NEW_PASSWORD, display_name=" Ala ")

    assert user.check_password(NEW_PASSWORD)
    assert user.display_name == "Ala"
    assert not user.must_change_password
    assert Membership.objects.get(user=user).role == Role.CASEWORKER
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user and invitation_status(invitation) == "accepted"
    entry = AuditEntry.objects.get(action="invitation.accept")
    assert entry.actor == user
    assert entry.details == {"user": str(user.pk), "role": "caseworker"}
    with pytest.raises(Invitation.DoesNotExist):
        invitation_accept(secret=issued.secret, password=NEW_PASSWORD)
    assert User.objects.filter(email="new@example.org").count() == 1


def test_a_weak_password_is_refused_and_nothing_is_written(organisation, org_admin):
    issued = invitation_create(actor=org_admin, organisation=organisation, email="new@example.org", role="viewer")

    with pytest.raises(ValidationError) as refused:
        invitation_accept(secret=issued.secret, password="password")

    assert "password1" in refused.value.error_dict
    assert not User.objects.filter(email="new@example.org").exists()
    assert invitation_status(Invitation.objects.get()) == "pending"
    assert not AuditEntry.objects.filter(action="invitation.accept").exists()


def test_an_expired_withdrawn_or_unknown_link_opens_nothing(organisation, org_admin):
    expiring = invitation_create(actor=org_admin, organisation=organisation, email="late@example.org", role="viewer")
    withdrawn = invitation_create(actor=org_admin, organisation=organisation, email="gone@example.org", role="viewer")
    invitation_revoke(actor=org_admin, invitation=withdrawn.invitation)

    later = timezone.now() + datetime.timedelta(days=INVITATION_LIFETIME_DAYS, minutes=1)
    with time_machine.travel(later), pytest.raises(Invitation.DoesNotExist):
        invitation_accept(secret=expiring.secret, password=NEW_PASSWORD)
    for secret in (withdrawn.secret, "not-a-secret", "", "x" * 5000):
        with pytest.raises(Invitation.DoesNotExist):
            invitation_for_secret(secret)
        with pytest.raises(Invitation.DoesNotExist):
            invitation_accept(secret=secret, password=NEW_PASSWORD)
    assert not User.objects.filter(email__in=["late@example.org", "gone@example.org"]).exists()


def test_withdrawing_is_audited_once_and_refused_after_acceptance(organisation, org_admin, caseworker):
    issued = invitation_create(actor=org_admin, organisation=organisation, email="w@example.org", role="viewer")
    with pytest.raises(PermissionDenied):
        invitation_revoke(actor=caseworker, invitation=issued.invitation)

    invitation_revoke(actor=org_admin, invitation=issued.invitation)
    invitation_revoke(actor=org_admin, invitation=issued.invitation)

    assert AuditEntry.objects.filter(action="invitation.revoke").count() == 1
    accepted = invitation_create(actor=org_admin, organisation=organisation, email="a@example.org", role="viewer")
    invitation_accept(secret=accepted.secret, password=NEW_PASSWORD)
    with pytest.raises(ValidationError, match="already accepted"):
        invitation_revoke(actor=org_admin, invitation=accepted.invitation)


def test_the_account_created_meanwhile_is_not_overwritten(organisation, org_admin):
    issued = invitation_create(actor=org_admin, organisation=organisation, email="race@example.org", role="viewer")
    User.objects.create_user("race@example.org", TEST_PASSWORD)

    with pytest.raises(ValidationError, match="already exists"):
        invitation_accept(secret=issued.secret, password=NEW_PASSWORD)
    assert invitation_status(Invitation.objects.get()) == "pending"


def test_unused_invitations_are_purged_after_thirty_days(organisation, org_admin):
    from asylon.accounts.services_invitations import UNUSED_INVITATION_KEEP_DAYS, invitations_purge
    from asylon.orgadmin.tasks import invitations_purge_daily

    expired = invitation_create(actor=org_admin, organisation=organisation, email="e@example.org", role="viewer")
    withdrawn = invitation_create(actor=org_admin, organisation=organisation, email="w@example.org", role="viewer")
    invitation_revoke(actor=org_admin, invitation=withdrawn.invitation)
    accepted = invitation_create(actor=org_admin, organisation=organisation, email="a@example.org", role="viewer")
    invitation_accept(secret=accepted.secret, password=NEW_PASSWORD)

    assert invitations_purge() == 0  # nothing old enough yet
    later = timezone.now() + datetime.timedelta(days=UNUSED_INVITATION_KEEP_DAYS + 1)
    open_later = invitation_create(actor=org_admin, organisation=organisation, email="o@example.org", role="viewer")
    Invitation.objects.filter(pk=open_later.invitation.pk).update(expires_at=later + datetime.timedelta(days=1))
    with time_machine.travel(later):
        assert invitations_purge_daily.call_local() == 1  # the withdrawn one (withdrawn over 30 days ago)
    with time_machine.travel(later + datetime.timedelta(days=INVITATION_LIFETIME_DAYS)):
        assert invitations_purge() == 1  # the expired one

    remaining = set(Invitation.objects.values_list("email", flat=True))
    assert remaining == {"a@example.org", "o@example.org"}
    assert expired.invitation.pk not in set(Invitation.objects.values_list("pk", flat=True))
    entries = AuditEntry.objects.filter(action="invitation.purge").order_by("sequence")
    assert [entry.details for entry in entries] == [{"deleted": 1}, {"deleted": 1}]
    assert all(entry.actor is None and entry.organisation_id == organisation.pk for entry in entries)
