"""How the backup and restore procedures report progress; the commands draw it with rich."""

from __future__ import annotations

from typing import Protocol


class StepProgress(Protocol):
    def started(self, step: str, total: int) -> None: ...

    def advanced(self, step: str, amount: int = 1) -> None: ...


class NoProgress:
    """Reports nothing (library callers and tests)."""

    def started(self, step: str, total: int) -> None:
        return None

    def advanced(self, step: str, amount: int = 1) -> None:
        return None
