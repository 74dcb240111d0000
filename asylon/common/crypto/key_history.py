"""When each key of a keyset was created and destroyed, kept beside the keyset.

Tink keysets carry no dates, so `asylon keys rotate` records them in `<name>.keys-meta.json`
(mode 0600) for `asylon keys status` to show each key's age. The file holds key ids and times only.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class KeyRecord:
    created_at: datetime.datetime | None = None
    destroyed_at: datetime.datetime | None = None


def history_path(keys_dir: Path, name: str) -> Path:
    return keys_dir / f"{name}.keys-meta.json"


def _parse_time(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def _format_time(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def read_history(keys_dir: Path, name: str) -> dict[int, KeyRecord]:
    """The recorded keys of a keyset by key id; empty when nothing was recorded yet."""
    path = history_path(keys_dir, name)
    if not path.exists():
        return {}
    stored = json.loads(path.read_text(encoding="utf-8"))
    return {
        int(key_id): KeyRecord(
            created_at=_parse_time(times.get("created_at")), destroyed_at=_parse_time(times.get("destroyed_at"))
        )
        for key_id, times in stored["keys"].items()
    }


def record_keys(
    keys_dir: Path,
    name: str,
    *,
    created: Iterable[int] = (),
    destroyed: Iterable[int] = (),
    at: datetime.datetime | None = None,
) -> None:
    """Note keys created or destroyed now (or `at`), rewriting the file atomically with mode 0600."""
    moment = at or datetime.datetime.now(datetime.UTC)
    history = read_history(keys_dir, name)
    for key_id in created:
        history[key_id] = KeyRecord(created_at=moment)
    for key_id in destroyed:
        history[key_id] = KeyRecord(created_at=history.get(key_id, KeyRecord()).created_at, destroyed_at=moment)
    document = {
        "keyset": name,
        "keys": {
            str(key_id): {
                "created_at": _format_time(record.created_at),
                "destroyed_at": _format_time(record.destroyed_at),
            }
            for key_id, record in sorted(history.items())
        },
    }
    path = history_path(keys_dir, name)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as history_file:
        json.dump(document, history_file, indent=2)
    os.replace(temporary, path)
