"""The report of a check or an import: problems by row and column, counts per kind, duplicate candidates."""

from __future__ import annotations

from typing import Any

from asylon.ops.imports.validation import ParsedRow
from asylon.ops.imports.writing import KINDS, Tally


def problems_of(rows: list[ParsedRow], tally: Tally | None) -> list[dict[str, Any]]:
    """Every problem as {row, column, reason}, in sheet order."""
    problems = [
        {"row": row.number, "column": column, "reason": reason} for row in rows for column, reason in row.problems
    ]
    if tally is not None:
        problems.extend(
            {"row": row.number, "column": column, "reason": reason} for row, column, reason in tally.refused
        )
    return sorted(problems, key=lambda problem: problem["row"])


def report_of(
    *, rows: list[ParsedRow], tally: Tally | None, dry_run: bool, written: bool, file_problem: str = ""
) -> dict[str, Any]:
    """The report as stored (encrypted) on the run; counts say "would_" in a dry run or when nothing was written."""
    prefix = "would_" if dry_run or not written else ""
    tally = tally or Tally()
    report: dict[str, Any] = {
        "dry_run": dry_run,
        "written": written,
        "rows": len(rows),
        "problems": problems_of(rows, tally),
        f"{prefix}create": {kind: tally.created[kind] for kind in KINDS},
        f"{prefix}update": {kind: tally.updated[kind] for kind in KINDS},
        "unchanged": {kind: tally.unchanged[kind] for kind in KINDS},
        "duplicates": sorted(tally.duplicates, key=lambda duplicate: duplicate["row"]),
    }
    if file_problem:
        report["problems"].insert(0, {"row": 0, "column": "", "reason": file_problem})
    return report


def counts_of(report: dict[str, Any]) -> dict[str, Any]:
    """The numbers of a report (no personal data), kept clear on the run for lists and the audit."""
    counts: dict[str, Any] = {
        "rows": report["rows"],
        "problems": len(report["problems"]),
        "rows_with_problems": len({problem["row"] for problem in report["problems"]}),
        "duplicates": len(report["duplicates"]),
    }
    for name in ("create", "update", "would_create", "would_update", "unchanged"):
        if name in report:
            counts[name] = report[name]
    return counts
