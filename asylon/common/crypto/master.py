"""The master key: an AEAD derived from a secret supplied at start, which seals the keysets on disk."""

from __future__ import annotations

import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from tink import aead

MIN_MASTER_KEY_LENGTH = 32
NONCE_BYTES = 12


class MasterKeyError(Exception):
    """The master key is missing, too short, or does not open the keysets."""


class MasterAead(aead.Aead):
    """AES-256-GCM under a key derived by HKDF from the master secret; Tink uses it to seal keysets."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_MASTER_KEY_LENGTH:
            raise MasterKeyError(
                f"The master key must be at least {MIN_MASTER_KEY_LENGTH} characters "
                "(generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"asylon master key v1").derive(secret)
        self._cipher = AESGCM(derived)

    def encrypt(self, plaintext: bytes, associated_data: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._cipher.encrypt(nonce, plaintext, associated_data)

    def decrypt(self, ciphertext: bytes, associated_data: bytes) -> bytes:
        try:
            return self._cipher.decrypt(ciphertext[:NONCE_BYTES], ciphertext[NONCE_BYTES:], associated_data)
        except Exception as error:
            raise MasterKeyError("The master key does not open the keysets (wrong key or damaged file).") from error
