"""Second factors: the organisation policy per role, and the allauth MFA adapter that seals secrets.

A staff account may hold roles in several organisations; the strictest policy wins, so a user is
allowed only the methods that every one of their memberships allows. Passkeys (WebAuthn) are always
allowed: they are the phishing-resistant factor. Recovery codes are the way back in after a lost
factor and are always accepted at sign-in, but they never count as an enrolled factor.
"""

from __future__ import annotations

import base64
from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from asylon.accounts.models import Membership, default_mfa_methods
from asylon.common.crypto.keyring import keyring

WEBAUTHN = "webauthn"
TOTP = "totp"
RECOVERY_CODES = "recovery_codes"
ENROLLABLE_METHODS = frozenset({WEBAUTHN, TOTP})
# Operators without a membership administer the whole instance: the strictest default applies.
NO_MEMBERSHIP_METHODS = frozenset({WEBAUTHN})

SECRET_ASSOCIATED_DATA = b"mfa.totp_secret"
SEALED_PREFIX = "aead1:"


def mfa_methods_allowed(user: Any) -> frozenset[str]:
    """The second factors the user may enrol: the intersection over all their memberships' policies."""
    defaults = default_mfa_methods()
    allowed = set(ENROLLABLE_METHODS)
    memberships = Membership.objects.filter(user=user).select_related("organisation__policy")
    seen = False
    for membership in memberships:
        seen = True
        policy = getattr(membership.organisation, "policy", None)
        methods = policy.mfa_methods if policy is not None else defaults
        allowed &= set(methods.get(membership.role, defaults.get(membership.role, [WEBAUTHN])))
    if not seen:
        return NO_MEMBERSHIP_METHODS
    # Passkeys stay possible whatever a policy says: a policy cannot lock a user out of every factor.
    return frozenset(allowed | {WEBAUTHN})


def has_allowed_authenticator(user: Any, allowed: frozenset[str] | None = None) -> bool:
    """True when the user holds at least one second factor their policy allows (recovery codes do not count)."""
    methods = mfa_methods_allowed(user) if allowed is None else allowed
    return Authenticator.objects.filter(user_id=user.pk, type__in=sorted(methods)).exists()


class MFAAdapter(DefaultMFAAdapter):
    """Seals TOTP secrets and recovery-code seeds with the field AEAD before allauth stores them."""

    def encrypt(self, text: str) -> str:
        sealed = keyring().encrypt(text.encode(), SECRET_ASSOCIATED_DATA)
        # allauth keeps the value in a JSON field: store text, not bytes.
        return SEALED_PREFIX + base64.b64encode(sealed).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(SEALED_PREFIX):
            raise ValueError("MFA secret is not sealed; refusing a cleartext secret")
        sealed = base64.b64decode(encrypted_text.removeprefix(SEALED_PREFIX))
        return keyring().decrypt(sealed, SECRET_ASSOCIATED_DATA).decode()

    def get_totp_label(self, user: Any) -> str:
        # The label shows in the phone's authenticator app, which a border guard may read: no name or address.
        return "account"
