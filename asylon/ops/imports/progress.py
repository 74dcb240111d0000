"""Rows done of a running import, in the `progress` cache: counts only, readable while the import's
one transaction is still open (the database would show nothing until it commits)."""

from __future__ import annotations

from typing import Any

from django.core.cache import caches

PROGRESS_SECONDS = 24 * 3600


def _key(run_id: Any) -> str:
    return f"import:{run_id}"


def progress_set(run_id: Any, done: int, total: int) -> None:
    caches["progress"].set(_key(run_id), (done, total), PROGRESS_SECONDS)


def progress_get(run_id: Any) -> tuple[int, int] | None:
    found = caches["progress"].get(_key(run_id))
    return (int(found[0]), int(found[1])) if found else None


def progress_clear(run_id: Any) -> None:
    caches["progress"].delete(_key(run_id))
