"""Second factors allowed per role, the strictest policy across memberships, sealed MFA secrets."""

import base64

import pytest
from allauth.mfa.models import Authenticator

from asylon.accounts.mfa import MFAAdapter, has_allowed_authenticator, mfa_methods_allowed
from asylon.accounts.models import Membership, Role
from asylon.common.crypto.keyring import DecryptionError
from tests.factories import OrganisationFactory, UserFactory, enrol_second_factor, staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ORG_ADMIN, {"webauthn"}),
        (Role.LAWYER, {"webauthn"}),
        (Role.CASEWORKER, {"webauthn", "totp"}),
        (Role.ANALYST, {"webauthn", "totp"}),
        (Role.VIEWER, {"webauthn", "totp"}),
        (Role.AUDITOR, {"webauthn", "totp"}),
    ],
)
def test_default_policy_per_role(organisation, role, expected):
    assert mfa_methods_allowed(staff(organisation, role)) == expected


def test_strictest_policy_wins_across_memberships(organisation):
    user = staff(organisation, Role.CASEWORKER)
    Membership.objects.create(user=user, organisation=OrganisationFactory(), role=Role.LAWYER)
    assert mfa_methods_allowed(user) == {"webauthn"}


def test_organisation_may_allow_totp_for_lawyers(organisation):
    organisation.policy.mfa_methods = {**organisation.policy.mfa_methods, Role.LAWYER: ["webauthn", "totp"]}
    organisation.policy.save()
    assert mfa_methods_allowed(staff(organisation, Role.LAWYER)) == {"webauthn", "totp"}


def test_a_policy_cannot_take_passkeys_away(organisation):
    organisation.policy.mfa_methods = {**organisation.policy.mfa_methods, Role.CASEWORKER: ["totp"]}
    organisation.policy.save()
    assert mfa_methods_allowed(staff(organisation, Role.CASEWORKER)) == {"webauthn", "totp"}


def test_operator_without_membership_needs_a_passkey():
    assert mfa_methods_allowed(UserFactory()) == {"webauthn"}


def test_recovery_codes_alone_are_not_an_enrolled_factor(organisation):
    user = staff(organisation)
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"})
    assert not has_allowed_authenticator(user)
    enrol_second_factor(user, "totp")
    assert has_allowed_authenticator(user)


def test_totp_does_not_satisfy_a_passkey_policy(lawyer):
    enrol_second_factor(lawyer, "totp")
    assert not has_allowed_authenticator(lawyer)


def test_secrets_are_sealed_as_text_and_open_again():
    adapter = MFAAdapter()
    sealed = adapter.encrypt("JBSWY3DPEHPK3PXP")
    assert isinstance(sealed, str)
    assert "JBSWY3DPEHPK3PXP" not in sealed
    assert adapter.decrypt(sealed) == "JBSWY3DPEHPK3PXP"
    assert adapter.encrypt("JBSWY3DPEHPK3PXP") != sealed  # randomised


def test_cleartext_or_tampered_secrets_are_refused():
    adapter = MFAAdapter()
    with pytest.raises(ValueError, match="not sealed"):
        adapter.decrypt("JBSWY3DPEHPK3PXP")
    sealed = bytearray(base64.b64decode(adapter.encrypt("JBSWY3DPEHPK3PXP").removeprefix("aead1:")))
    sealed[-1] ^= 1
    with pytest.raises(DecryptionError):
        adapter.decrypt("aead1:" + base64.b64encode(bytes(sealed)).decode())
