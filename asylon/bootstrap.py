"""Prepares a data directory before Django starts: folders, secret key and keysets.

Runs without Django settings so that `asylon quickstart` can create what production settings
then require (a secret key, keysets). Keysets are sealed under the master key when one is
supplied; without one, cleartext keysets are written only in demonstration mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from asylon.common.crypto.keysets import ensure_keysets
from asylon.common.crypto.master import MasterAead, MasterKeyError
from asylon.config import environment
from asylon.config.settings.secret import ensure_secret_key

SUBDIRECTORIES = ("keys", "media", "backups", "logs")
PRIVATE = 0o700


@dataclass(frozen=True)
class Preparation:
    data_dir: Path
    created: bool
    keysets_created: list[str]
    sealed: bool


def prepare_data_dir() -> Preparation:
    """Create the data directory layout, secret key and missing keysets; report what was new."""
    data_dir = environment.data_dir()
    created = not (data_dir / "keys").exists()
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(PRIVATE)
    for name in SUBDIRECTORIES:
        (data_dir / name).mkdir(exist_ok=True)
        (data_dir / name).chmod(PRIVATE)
    secret = environment.master_key()
    if secret is None and not environment.flag("ASYLON_DEMO"):
        raise MasterKeyError(
            "No master key: set ASYLON_MASTER_KEY or ASYLON_MASTER_KEY_FILE (production), "
            "or ASYLON_DEMO=1 for a demonstration instance with cleartext keysets."
        )
    ensure_secret_key(data_dir / "keys")
    master = MasterAead(secret) if secret else None
    keysets_created = ensure_keysets(data_dir / "keys", master)
    return Preparation(data_dir=data_dir, created=created, keysets_created=keysets_created, sealed=master is not None)
