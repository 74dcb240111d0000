"""Open data: the published aggregates of the statistics page as a Frictionless Data Package (a zip of
one tidy CSV per aggregate plus datapackage.json, whose table schemas are the data dictionary).

Only ProtectedTables go in (every number already through statistics_release). Each CSV has a code
and a label column per breakdown, the count of people (empty when suppressed) and its status; margins
are rows whose breakdown code is empty, meaning "all values".
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import json
import zipfile
from collections.abc import Sequence

from django.utils.translation import gettext

from asylon.reports.exports import csv_text
from asylon.reports.labels import breakdowns, dimension_label, lines
from asylon.reports.statistics.tables import CellState, ProtectedTable

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
COUNT_FIELD = "people"
STATUS_FIELD = "status"


@dataclasses.dataclass(frozen=True)
class Aggregate:
    """One published aggregate: a file-safe name (lower case, digits, - _ .), a title, its table and
    the question in words."""

    name: str
    title: str
    description: str
    table: ProtectedTable


def aggregate_csv(table: ProtectedTable) -> str:
    """The table as tidy CSV: code and label per breakdown, the count (empty if suppressed), the status."""
    names = [name for name in breakdowns(table) if name]
    header: list[object] = [field for name in names for field in (name, f"{name}_label")]
    rows: list[list[object]] = [[*header, COUNT_FIELD, STATUS_FIELD]]
    for line in lines(table):
        coordinates = [(line.row, line.row_label), (line.column, line.column_label)][: len(names)]
        codes = [value for code, label in coordinates for value in (code, label if code else "")]
        rows.append([*codes, line.published.value, line.published.state.value])
    return csv_text(rows)


def table_schema(table: ProtectedTable) -> dict[str, object]:
    """The Frictionless table schema of aggregate_csv's output: the data dictionary of one file."""
    fields: list[dict[str, object]] = []
    for name in breakdowns(table):
        if not name:
            continue
        label = dimension_label(name)
        fields.append(
            {
                "name": name,
                "title": label,
                "type": "string",
                "description": gettext("%(dimension)s (code); empty: all values, a total.") % {"dimension": label},
            }
        )
        fields.append(
            {
                "name": f"{name}_label",
                "title": gettext("%(dimension)s (label)") % {"dimension": label},
                "type": "string",
                "description": gettext("The code in words, in the language of the download."),
            }
        )
    fields.append(
        {
            "name": COUNT_FIELD,
            "title": gettext("People"),
            "type": "integer",
            "constraints": {"minimum": 0},
            "description": gettext("Distinct people counted; empty where the count is suppressed.")
            + " "
            + table.rule.describe(),
        }
    )
    fields.append(
        {
            "name": STATUS_FIELD,
            "title": gettext("Status"),
            "type": "string",
            "constraints": {"required": True, "enum": [state.value for state in CellState]},
            "description": gettext("published, or suppressed by disclosure control."),
        }
    )
    return {"fields": fields, "missingValues": [""]}


def datapackage_descriptor(
    aggregates: Sequence[Aggregate], *, title: str, source: str, as_of: datetime.datetime
) -> dict[str, object]:
    """datapackage.json: the package, its licence and source, and one described resource per aggregate."""
    resources = []
    for aggregate in aggregates:
        rule = aggregate.table.rule
        resources.append(
            {
                "name": aggregate.name,
                "path": f"{aggregate.name}.csv",
                "profile": "tabular-data-resource",
                "title": aggregate.title,
                "description": f"{aggregate.description} {rule.describe()}",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(aggregate.table),
                "disclosure": {
                    "threshold": rule.threshold,
                    "rounding_base": rule.rounding_base,
                    "rule": rule.describe(),
                    "as_of": aggregate.table.as_of.isoformat(timespec="seconds"),
                },
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "asylon-statistics",
        "title": title,
        "description": gettext(
            "Counts of distinct people from case records, after statistical disclosure control. "
            "Each file states its question and the rule applied."
        ),
        "created": as_of.isoformat(timespec="seconds"),
        "licenses": [LICENCE],
        "sources": [{"title": source}],
        "resources": resources,
    }


def open_data_zip(aggregates: Sequence[Aggregate], *, title: str, source: str, as_of: datetime.datetime) -> bytes:
    """The data package as a zip: datapackage.json and one CSV per aggregate (fixed file times)."""
    descriptor = datapackage_descriptor(aggregates, title=title, source=source, as_of=as_of)
    stamp = (max(as_of.year, 1980), as_of.month, as_of.day, as_of.hour, as_of.minute, as_of.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("datapackage.json", stamp), json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
        )
        for aggregate in aggregates:
            info = zipfile.ZipInfo(f"{aggregate.name}.csv", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, aggregate_csv(aggregate.table).encode())
    return buffer.getvalue()
