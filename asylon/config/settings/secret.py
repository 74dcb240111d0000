"""The Django secret key: ASYLON_SECRET_KEY, or the file `asylon quickstart` writes into keys/."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SIGNING_KEY_FILE_NAME = "django-secret-key"
MIN_SECRET_LENGTH = 50


def read_secret_key(keys_dir: Path) -> str:
    """The configured secret, or an empty string when none is configured."""
    value = os.environ.get("ASYLON_SECRET_KEY", "")
    path = keys_dir / SIGNING_KEY_FILE_NAME
    if not value and path.exists():
        value = path.read_text(encoding="utf-8")
    return value.strip()


def ensure_secret_key(keys_dir: Path) -> bool:
    """Write a random secret key file (0600) if none exists; True when one was created."""
    path = keys_dir / SIGNING_KEY_FILE_NAME
    if path.exists() or os.environ.get("ASYLON_SECRET_KEY"):
        return False
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as secret_file:
        secret_file.write(secrets.token_urlsafe(64))
    return True
