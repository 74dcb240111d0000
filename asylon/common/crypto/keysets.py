"""Keysets on disk: created, sealed under the master key (or cleartext in the demo), loaded and rotated.

Kept free of Django so that `asylon quickstart` can prepare a data directory before settings load.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import tink
from tink import aead, prf, secret_key_access
from tink.proto import tink_pb2

from asylon.common.crypto import key_history
from asylon.common.crypto.master import MasterAead, MasterKeyError

aead.register()
prf.register()

FIELD = "field"
BLIND_INDEX = "blind_index"
TEMPLATES = {
    FIELD: aead.aead_key_templates.AES256_GCM,
    BLIND_INDEX: prf.prf_key_templates.HMAC_SHA256,
}


class CleartextKeysetRefused(MasterKeyError):
    """A cleartext keyset was found where only sealed keysets are allowed."""


@dataclass(frozen=True)
class KeyInfo:
    key_id: int
    status: str
    primary: bool


def keyset_path(keys_dir: Path, name: str) -> Path:
    return keys_dir / f"{name}.keyset.json"


def _associated_data(name: str) -> bytes:
    return f"asylon keyset:{name}".encode()


def write_keyset(keys_dir: Path, name: str, handle: tink.KeysetHandle, master: MasterAead | None) -> None:
    """Write a keyset atomically with mode 0600: sealed under `master`, or cleartext when it is None."""
    if master is None:
        text = tink.json_proto_keyset_format.serialize(handle, secret_key_access.TOKEN)
    else:
        text = tink.json_proto_keyset_format.serialize_encrypted(handle, master, _associated_data(name))
    path = keyset_path(keys_dir, name)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle_file:
        handle_file.write(text)
    os.replace(temporary, path)


def is_sealed(keys_dir: Path, name: str) -> bool:
    return "encryptedKeyset" in json.loads(keyset_path(keys_dir, name).read_text(encoding="utf-8"))


def read_keyset(keys_dir: Path, name: str, master: MasterAead | None, allow_cleartext: bool) -> tink.KeysetHandle:
    """Load one keyset; a cleartext one only when `allow_cleartext` (the demo)."""
    text = keyset_path(keys_dir, name).read_text(encoding="utf-8")
    if "encryptedKeyset" in json.loads(text):
        if master is None:
            raise MasterKeyError(
                f"The {name} keyset is sealed: supply the master key in ASYLON_MASTER_KEY or ASYLON_MASTER_KEY_FILE."
            )
        return tink.json_proto_keyset_format.parse_encrypted(text, master, _associated_data(name))
    if not allow_cleartext:
        raise CleartextKeysetRefused(
            f"The {name} keyset in {keys_dir} is stored in cleartext, which is allowed only with ASYLON_DEMO=1. "
            "Seal it with `asylon keys seal` and a master key."
        )
    return tink.json_proto_keyset_format.parse(text, secret_key_access.TOKEN)


def ensure_keysets(keys_dir: Path, master: MasterAead | None) -> list[str]:
    """Create the missing keysets (directory 0700, files 0600); return the names created."""
    keys_dir.mkdir(parents=True, exist_ok=True)
    keys_dir.chmod(0o700)
    created = []
    for name, template in TEMPLATES.items():
        if not keyset_path(keys_dir, name).exists():
            handle = tink.new_keyset_handle(template)
            write_keyset(keys_dir, name, handle, master)
            key_history.record_keys(keys_dir, name, created=[handle.keyset_info().primary_key_id])  # its age
            created.append(name)
    return created


def with_new_primary(handle: tink.KeysetHandle, name: str) -> tuple[tink.KeysetHandle, int]:
    """Return the keyset with a fresh key added and made primary (old keys stay for decryption)."""
    keyset = tink_pb2.Keyset.FromString(tink.proto_keyset_format.serialize(handle, secret_key_access.TOKEN))
    fresh = tink_pb2.Keyset.FromString(
        tink.proto_keyset_format.serialize(tink.new_keyset_handle(TEMPLATES[name]), secret_key_access.TOKEN)
    )
    new_key = fresh.key[0]
    while any(key.key_id == new_key.key_id for key in keyset.key):
        fresh = tink_pb2.Keyset.FromString(
            tink.proto_keyset_format.serialize(tink.new_keyset_handle(TEMPLATES[name]), secret_key_access.TOKEN)
        )
        new_key = fresh.key[0]
    keyset.key.append(new_key)
    keyset.primary_key_id = new_key.key_id
    return tink.proto_keyset_format.parse(keyset.SerializeToString(), secret_key_access.TOKEN), new_key.key_id


def without_keys(handle: tink.KeysetHandle, key_ids: set[int]) -> tink.KeysetHandle:
    """Return the keyset with the given (non-primary) keys destroyed."""
    keyset = tink_pb2.Keyset.FromString(tink.proto_keyset_format.serialize(handle, secret_key_access.TOKEN))
    if keyset.primary_key_id in key_ids:
        raise ValueError("The primary key cannot be removed.")
    kept = [key for key in keyset.key if key.key_id not in key_ids]
    del keyset.key[:]
    keyset.key.extend(kept)
    return tink.proto_keyset_format.parse(keyset.SerializeToString(), secret_key_access.TOKEN)


def key_infos(handle: tink.KeysetHandle) -> list[KeyInfo]:
    info = handle.keyset_info()
    return [
        KeyInfo(
            key_id=key.key_id, status=tink_pb2.KeyStatusType.Name(key.status), primary=key.key_id == info.primary_key_id
        )
        for key in info.key_info
    ]
