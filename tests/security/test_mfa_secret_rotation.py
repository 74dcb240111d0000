"""Key rotation re-seals TOTP secrets and recovery-code seeds, and keeps a key that still seals one."""

from __future__ import annotations

import base64

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from asylon.accounts.mfa import SEALED_PREFIX, MFAAdapter
from asylon.common.crypto import rotation
from asylon.common.crypto.keyring import key_id_of, keyring
from asylon.common.crypto.mfa_secrets import MFA_SECRETS_LABEL, mfa_secrets_inventory
from tests.factories import TEST_TOTP_SECRET, enrol_second_factor

pytestmark = pytest.mark.django_db


def sealed_key_ids() -> set[int]:
    key_ids = set()
    for data in Authenticator.objects.exclude(type=Authenticator.Type.WEBAUTHN).values_list("data", flat=True):
        for key in ("secret", "seed"):
            if key in data:
                key_ids.add(key_id_of(base64.b64decode(data[key].removeprefix(SEALED_PREFIX))))
    return key_ids


def test_rotation_reseals_mfa_secrets_and_destroys_the_old_key_only_afterwards(isolated_keys, caseworker):
    enrol_second_factor(caseworker, Authenticator.Type.TOTP)
    codes = RecoveryCodes.activate(caseworker)
    seed = MFAAdapter().decrypt(codes.instance.data["seed"])
    old_key_id = keyring().primary_key_id
    assert mfa_secrets_inventory().ciphertexts_by_key == {old_key_id: 2}

    addition = rotation.field_key_add(ring=keyring())
    kept = rotation.unused_old_keys_destroy(ring=keyring())
    assert old_key_id in kept.in_use  # the MFA secrets still need it
    assert old_key_id not in kept.destroyed

    report = rotation.reencrypt_all()
    assert MFA_SECRETS_LABEL not in report.remaining
    assert sealed_key_ids() == {addition.key_id}

    destroyed = rotation.unused_old_keys_destroy(ring=keyring())
    assert old_key_id in destroyed.destroyed
    totp = Authenticator.objects.get(user=caseworker, type=Authenticator.Type.TOTP)
    assert MFAAdapter().decrypt(totp.data["secret"]) == TEST_TOTP_SECRET
    codes.instance.refresh_from_db()
    assert MFAAdapter().decrypt(codes.instance.data["seed"]) == seed


def test_keys_status_counts_mfa_secrets(isolated_keys, caseworker):
    enrol_second_factor(caseworker, Authenticator.Type.TOTP)
    inventory = mfa_secrets_inventory()
    assert inventory.label == MFA_SECRETS_LABEL
    assert sum(inventory.ciphertexts_by_key.values()) == 1
    assert inventory.unrecognised == 0
