"""Rich progress bars for the backup and restore commands."""

from __future__ import annotations

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

COLUMNS = (TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())


class ProgressBars:
    """One bar per step of a backup or restore."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.bars: dict[str, TaskID] = {}

    def started(self, step: str, total: int) -> None:
        self.bars[step] = self.progress.add_task(step, total=max(total, 1))
        if total == 0:
            self.progress.advance(self.bars[step], 1)

    def advanced(self, step: str, amount: int = 1) -> None:
        self.progress.advance(self.bars[step], amount)
