"""Reads the ASYLON_* environment variables once, without importing Django."""

from __future__ import annotations

import os
from pathlib import Path


def flag(name: str) -> bool:
    """True when the variable is set to 1, true or yes."""
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes"}


def data_dir() -> Path:
    """The data directory: ASYLON_DATA_DIR, default ./var."""
    return Path(os.environ.get("ASYLON_DATA_DIR") or "var").resolve()


def database_url(directory: Path) -> str:
    """ASYLON_DATABASE_URL, default SQLite in the data directory."""
    return os.environ.get("ASYLON_DATABASE_URL") or f"sqlite:///{directory / 'asylon.sqlite3'}"


def master_key() -> bytes | None:
    """The master key from ASYLON_MASTER_KEY or the file named by ASYLON_MASTER_KEY_FILE (docs/keys.md).

    A key typed at the prompt (`asylon --ask-master-key`, asylon/config/master_prompt.py) reaches
    this process and its server and worker as ASYLON_MASTER_KEY_FILE naming an in-memory file.
    """
    value = os.environ.get("ASYLON_MASTER_KEY")
    key_file = os.environ.get("ASYLON_MASTER_KEY_FILE")
    if not value and key_file:
        try:
            value = Path(key_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            from asylon.common.crypto.master import MasterKeyError

            reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
            raise MasterKeyError(
                f"Cannot read the master key file {key_file} (ASYLON_MASTER_KEY_FILE): {reason}."
            ) from None
    return value.strip().encode() if value and value.strip() else None


def base_url() -> str:
    """ASYLON_BASE_URL: where staff reach the app, for links in emails; default http://localhost:8000."""
    return (os.environ.get("ASYLON_BASE_URL") or "http://localhost:8000").rstrip("/")


def integer_setting(name: str, default: int) -> int:
    """A whole number from the environment (the default when unset or not a number)."""
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() else default
