"""The process-wide keyring: encrypts and decrypts field values, computes blind indexes.

Keysets are re-read when their file changes on disk, so `asylon keys rotate` in one process is
picked up by servers and workers within KEYSET_REFRESH_SECONDS without a restart.
"""

from __future__ import annotations

import struct
import threading
import time
from pathlib import Path

import tink
from django.conf import settings
from tink import aead, prf

from asylon.common.crypto import keysets
from asylon.common.crypto.master import MasterAead
from asylon.config import environment

KEYSET_REFRESH_SECONDS = 1.0
BLIND_INDEX_BYTES = 16
TINK_PREFIX_LENGTH = 5


class DecryptionError(Exception):
    """A ciphertext does not open under its binding (wrong row, wrong field, damaged, or unknown key)."""


def key_id_of(ciphertext: bytes) -> int:
    """The Tink key id that produced a ciphertext (bytes 1..4 of its prefix)."""
    return int(struct.unpack(">I", bytes(ciphertext[1:TINK_PREFIX_LENGTH]))[0])


class Keyring:
    """Field AEAD and blind-index PRF loaded from one keys directory."""

    def __init__(self, keys_dir: Path, master: MasterAead | None, allow_cleartext: bool) -> None:
        self.keys_dir = keys_dir
        self.master = master
        self.allow_cleartext = allow_cleartext
        self._lock = threading.Lock()
        self._checked_at = 0.0
        self._loaded_mtime = 0.0
        self._load()

    def _load(self) -> None:
        field_path = keysets.keyset_path(self.keys_dir, keysets.FIELD)
        self._loaded_mtime = field_path.stat().st_mtime
        self.field_handle = keysets.read_keyset(self.keys_dir, keysets.FIELD, self.master, self.allow_cleartext)
        self._aead = self.field_handle.primitive(aead.Aead)
        blind = keysets.read_keyset(self.keys_dir, keysets.BLIND_INDEX, self.master, self.allow_cleartext)
        self._prf = blind.primitive(prf.PrfSet).primary()
        self.primary_key_id = self.field_handle.keyset_info().primary_key_id

    def reload(self) -> None:
        with self._lock:
            self._load()
            self._checked_at = time.monotonic()

    def _refresh_if_changed(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < KEYSET_REFRESH_SECONDS:
            return
        self._checked_at = now
        mtime = keysets.keyset_path(self.keys_dir, keysets.FIELD).stat().st_mtime
        if mtime != self._loaded_mtime:
            self.reload()

    def current_primary_key_id(self) -> int:
        """The primary key's id, after re-reading the keyset if a rotation changed it on disk."""
        self._refresh_if_changed()
        return self.primary_key_id

    def encrypt(self, plaintext: bytes, associated_data: bytes) -> bytes:
        self._refresh_if_changed()
        return self._aead.encrypt(plaintext, associated_data)

    def decrypt(self, ciphertext: bytes, associated_data: bytes) -> bytes:
        try:
            return self._aead.decrypt(ciphertext, associated_data)
        except tink.TinkError:
            # A key added by a rotation in another process: re-read the keyset once and retry.
            self.reload()
            try:
                return self._aead.decrypt(ciphertext, associated_data)
            except tink.TinkError as error:
                raise DecryptionError(f"cannot decrypt value bound to {associated_data.decode()!r}") from error

    def blind_index(self, purpose: str, normalised: str) -> bytes:
        """A keyed, deterministic digest of a normalised value, separated by purpose."""
        return self._prf.compute(f"{purpose}\x00{normalised}".encode(), BLIND_INDEX_BYTES)


_keyring: Keyring | None = None
_keyring_lock = threading.Lock()


def keyring() -> Keyring:
    """The keyring for this process, loaded from settings.ASYLON_KEYS_DIR on first use."""
    global _keyring
    if _keyring is None:
        with _keyring_lock:
            if _keyring is None:
                secret = environment.master_key()
                _keyring = Keyring(
                    Path(settings.ASYLON_KEYS_DIR),
                    MasterAead(secret) if secret else None,
                    allow_cleartext=settings.ASYLON_DEMO,
                )
    return _keyring


def reset_keyring() -> None:
    """Forget the loaded keyring (tests that switch keys directories)."""
    global _keyring
    with _keyring_lock:
        _keyring = None
