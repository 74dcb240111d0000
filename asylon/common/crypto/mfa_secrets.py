"""Second-factor secrets are sealed with the field keyset too: their inventory and re-encryption.

allauth stores TOTP secrets (`data["secret"]`) and recovery-code seeds (`data["seed"]`) through
`asylon.accounts.mfa.MFAAdapter`, which seals them with the field AEAD. Key rotation must find and
re-seal them like any encrypted column, and must not destroy a key that still seals one: a user
would lose their authenticator app and recovery codes.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.db import transaction

from asylon.accounts.mfa import SEALED_PREFIX, SECRET_ASSOCIATED_DATA
from asylon.common.crypto.inventory import Inventory, tally_prefixes
from asylon.common.crypto.keyring import TINK_PREFIX_LENGTH, DecryptionError, key_id_of, keyring

MFA_SECRETS_LABEL = "mfa.authenticator.data (TOTP secrets, recovery-code seeds)"
SEALED_KEYS = ("secret", "seed")


@dataclass(frozen=True)
class SecretResealing:
    resealed: int
    unreadable: list[str]  # `mfa.authenticator:<pk>` whose secret does not decrypt; left as it is


def _unsealed_bytes(value: object) -> bytes | None:
    if not isinstance(value, str) or not value.startswith(SEALED_PREFIX):
        return None
    return base64.b64decode(value.removeprefix(SEALED_PREFIX))


def _sealed_secrets() -> Iterator[tuple[int, str, bytes | None]]:
    """(authenticator pk, data key, sealed bytes or None when not sealed) for every stored secret."""
    rows = Authenticator.objects.exclude(type=Authenticator.Type.WEBAUTHN).values_list("pk", "data")
    for pk, data in rows.iterator():
        for key in SEALED_KEYS:
            if isinstance(data, dict) and key in data:
                yield pk, key, _unsealed_bytes(data[key])


def mfa_secrets_inventory() -> Inventory:
    """Count sealed MFA secrets per key id; unsealed values count as unrecognised."""
    prefixes = [(sealed[:TINK_PREFIX_LENGTH] if sealed else b"", 1) for _pk, _key, sealed in _sealed_secrets()]
    return tally_prefixes(MFA_SECRETS_LABEL, prefixes)


def mfa_secrets_reseal(*, primary_key_id: int) -> SecretResealing:
    """Re-seal every MFA secret that is not under the primary key (one row lock each)."""
    ring = keyring()
    resealed = 0
    unreadable = []
    stale = [(pk, key) for pk, key, sealed in _sealed_secrets() if sealed and key_id_of(sealed) != primary_key_id]
    for pk, key in stale:
        with transaction.atomic():
            authenticator = Authenticator.objects.select_for_update().filter(pk=pk).first()
            sealed = _unsealed_bytes(authenticator.data.get(key)) if authenticator is not None else None
            if authenticator is None or sealed is None or key_id_of(sealed) == primary_key_id:
                continue  # removed or re-sealed since the scan
            try:
                secret = ring.decrypt(sealed, SECRET_ASSOCIATED_DATA)
            except DecryptionError:
                unreadable.append(f"mfa.authenticator:{pk}")
                continue
            fresh = ring.encrypt(secret, SECRET_ASSOCIATED_DATA)
            authenticator.data = {**authenticator.data, key: SEALED_PREFIX + base64.b64encode(fresh).decode("ascii")}
            authenticator.save(update_fields=["data"])
            resealed += 1
    return SecretResealing(resealed=resealed, unreadable=unreadable)
