"""The Ed25519 key that signs audit checkpoints, kept in the keys directory, never in the database.

The key file (0600) holds the private key sealed under the master key, like the keysets; in
cleartext only in demonstration mode (ASYLON_DEMO=1). Auditors verify checkpoints offline with
the public key, identified by the first 16 hex digits of its SHA-256 (`key_id`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from django.conf import settings

from asylon.common.crypto.master import MasterAead, MasterKeyError
from asylon.config import environment

KEY_FILE_NAME = "audit-signing.key.json"
ASSOCIATED_DATA = b"asylon audit signing key v1"


class SigningKeyRefused(MasterKeyError):
    """The signing key is stored in cleartext outside the demo, or cannot be opened."""


@dataclass(frozen=True)
class PublicKey:
    raw: bytes

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()[:16]

    @property
    def text(self) -> str:
        """Base64 of the 32 raw bytes: what auditors copy to verify offline."""
        return base64.b64encode(self.raw).decode()

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except InvalidSignature:
            return False
        return True


def public_key_from_text(text: str) -> PublicKey:
    raw = base64.b64decode(text.strip(), validate=True)
    if len(raw) != 32:
        raise ValueError("An Ed25519 public key is 32 bytes (44 characters of base64).")
    return PublicKey(raw)


def _raw_private(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def public_of(key: Ed25519PrivateKey) -> PublicKey:
    return PublicKey(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def key_path(keys_dir: Path) -> Path:
    return keys_dir / KEY_FILE_NAME


def write_signing_key(keys_dir: Path, key: Ed25519PrivateKey, master: MasterAead | None, *, replace: bool) -> None:
    """Write the key atomically, 0600: sealed under `master`, or cleartext when it is None (demo only).

    Without `replace`, a key another process wrote first is kept (FileExistsError is swallowed).
    """
    raw = _raw_private(key)
    if master is None:
        document = {"private_key": base64.b64encode(raw).decode()}
    else:
        document = {"sealed_private_key": base64.b64encode(master.encrypt(raw, ASSOCIATED_DATA)).decode()}
    document["key_id"] = public_of(key).key_id
    path = key_path(keys_dir)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as key_file:
        json.dump(document, key_file)
    if replace:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def read_signing_key(keys_dir: Path, master: MasterAead | None, allow_cleartext: bool) -> Ed25519PrivateKey:
    document = json.loads(key_path(keys_dir).read_text(encoding="utf-8"))
    if "sealed_private_key" in document:
        if master is None:
            raise SigningKeyRefused(
                "The audit signing key is sealed: supply the master key in ASYLON_MASTER_KEY or ASYLON_MASTER_KEY_FILE."
            )
        raw = master.decrypt(base64.b64decode(document["sealed_private_key"]), ASSOCIATED_DATA)
    elif allow_cleartext:
        raw = base64.b64decode(document["private_key"])
    else:
        raise SigningKeyRefused(
            f"The audit signing key in {keys_dir} is stored in cleartext, which is allowed only with ASYLON_DEMO=1."
        )
    return Ed25519PrivateKey.from_private_bytes(raw)


def signing_key() -> Ed25519PrivateKey:
    """The instance's signing key, created on first use (sealed when a master key is configured)."""
    keys_dir = Path(settings.ASYLON_KEYS_DIR)
    secret = environment.master_key()
    master = MasterAead(secret) if secret else None
    if master is None and not settings.ASYLON_DEMO:
        raise SigningKeyRefused(
            "No master key: the audit signing key is sealed under ASYLON_MASTER_KEY "
            "(cleartext only with ASYLON_DEMO=1)."
        )
    if not key_path(keys_dir).exists():
        keys_dir.mkdir(parents=True, exist_ok=True)
        write_signing_key(keys_dir, Ed25519PrivateKey.generate(), master, replace=False)
    return read_signing_key(keys_dir, master, allow_cleartext=bool(settings.ASYLON_DEMO))


def instance_public_key() -> PublicKey:
    return public_of(signing_key())


def signing_key_seal(*, keys_dir: Path, master: MasterAead) -> bool:
    """Rewrite a cleartext signing key (a former demo) sealed under the master key; True when it was cleartext."""
    path = key_path(keys_dir)
    if not path.exists():
        return False
    document = json.loads(path.read_text(encoding="utf-8"))
    if "sealed_private_key" in document:
        read_signing_key(keys_dir, master, allow_cleartext=False)  # must open with this master key
        return False
    write_signing_key(keys_dir, read_signing_key(keys_dir, None, allow_cleartext=True), master, replace=True)
    return True
