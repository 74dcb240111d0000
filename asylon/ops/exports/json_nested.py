"""The JSON format: one document, cases nested with their records, persons and sources beside them.

Shape (docs/exports.md): {"format": "asylon-export", "version": 1, "exported_at", "language",
"scope", "withheld": {table: [columns]}, "cases": [{...case columns, "parties": [...], "events":
[...], "decisions": [...], "proceedings": [...], "interventions": [...], "status_periods": [...],
"documents": [...], "notes": [...]}], "persons": [...], "sources": [...]}. Records carry the same
columns as the CSV tables (only those the exporter's clearance reaches); lists and mappings stay
JSON, dates are ISO 8601.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from asylon.ops.exports.rows import ExportData

FORMAT_NAME = "asylon-export"
VERSION = 1
# The tables that belong to one case, nested under it (without their case_id).
CASE_TABLES = (
    "parties",
    "events",
    "decisions",
    "proceedings",
    "interventions",
    "status_periods",
    "documents",
    "notes",
)


def header(data: ExportData) -> dict[str, Any]:
    """What every JSON export starts with: when, in which language, what scope, which columns withheld."""
    return {
        "exported_at": data.exported_at.isoformat(timespec="seconds"),
        "language": data.language,
        "scope": data.scope.describe(),
        "withheld": data.withheld,
    }


def nested(data: ExportData) -> dict[str, Any]:
    """The export as one nested document."""
    by_case: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for table in CASE_TABLES:
        for row in data.rows(table):
            by_case[row["case_id"]][table].append({name: value for name, value in row.items() if name != "case_id"})
    cases = []
    for row in data.rows("cases"):
        records = by_case.get(row["id"], {})
        cases.append({**row, **{table: records.get(table, []) for table in CASE_TABLES if table in data.tables}})
    document = {"format": FORMAT_NAME, "version": VERSION, **header(data), "cases": cases}
    for table in ("persons", "sources"):
        if table in data.tables:
            document[table] = data.rows(table)
    return document


def dumps(document: dict[str, Any]) -> bytes:
    """JSON as UTF-8 (dates as ISO 8601 text)."""
    return json.dumps(document, ensure_ascii=False, indent=2, default=_iso).encode("utf-8")


def _iso(value: Any) -> str:
    isoformat = getattr(value, "isoformat", None)
    if isoformat is None:
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")
    return str(isoformat())


def json_export(data: ExportData) -> bytes:
    """The nested JSON export as bytes."""
    return dumps(nested(data))
