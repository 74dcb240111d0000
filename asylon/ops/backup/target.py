"""The data directory a restore writes into: it must hold no data yet.

Kept free of Django: `asylon restore` lays out the directory and its secret key before the
settings load (production settings refuse to start without a secret key), as quickstart does,
but creates no keysets, which would then clash with the restored ones.
"""

from __future__ import annotations

from pathlib import Path

from asylon.bootstrap import PRIVATE, SUBDIRECTORIES
from asylon.config import environment
from asylon.config.settings.secret import SIGNING_KEY_FILE_NAME, ensure_secret_key

CHECKPOINTS = Path("backups") / "checkpoints"
NOT_DATA_IN_KEYS = {SIGNING_KEY_FILE_NAME, "keysets.lock"}
SHOWN = 5


def restore_target_prepare() -> Path:
    """Create the data directory layout (0700) and a secret key; write no keyset and no data."""
    data_dir = environment.data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(PRIVATE)
    for name in SUBDIRECTORIES:
        (data_dir / name).mkdir(exist_ok=True)
        (data_dir / name).chmod(PRIVATE)
    ensure_secret_key(data_dir / "keys")
    return data_dir


def data_files(data_dir: Path, media_dir: Path) -> list[str]:
    """Files that make a data directory non-empty: keys, media files and audit checkpoints (database aside)."""
    found = [path for path in (data_dir / "keys").glob("*") if path.is_file() and path.name not in NOT_DATA_IN_KEYS]
    for directory in (media_dir, data_dir / CHECKPOINTS):
        if directory.is_dir():
            found += [path for path in directory.rglob("*") if path.is_file()]
    return [str(path) for path in sorted(found)]


def describe(paths: list[str]) -> str:
    shown = ", ".join(paths[:SHOWN])
    return shown + (f" and {len(paths) - SHOWN} more" if len(paths) > SHOWN else "")
