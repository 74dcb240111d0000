"""The Uwazi shape: CSV files that Uwazi's "Import CSV" reads, one per Uwazi template.

Uwazi (HURIDOCS) imports one CSV per template: the first row names the template's properties
(Uwazi matches headers to property names, case and spaces aside), `title` is required, each row
is one entity, several values in one cell are separated by |, dates are written YYYY/MM/DD,
select values are the thesaurus labels, relationships name the linked entity by its title. The zip
holds `cases.csv`, `persons.csv` and `events.csv` (import them in that order, each with its own
template; docs/exports.md says how to set the templates up). Titles are unique: a case's reference,
a person's name with the first eight characters of their id (the id alone when names are withheld),
an event's type with its case reference and id. Each file has an `asylon_id` column so a later
import can update rather than duplicate. Columns above the exporter's clearance are left out.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections import defaultdict
from typing import Any

from asylon.ops.exports.rows import ExportData
from asylon.ops.exports.tabular import BOM, zip_member
from asylon.reports.exports import csv_text

SEPARATOR = "|"


def uwazi_date(value: Any) -> str:
    """A date as Uwazi reads it by default (YYYY/MM/DD); empty when unknown."""
    if isinstance(value, datetime.date):
        return value.strftime("%Y/%m/%d")
    return ""


def many(values: list[Any]) -> str:
    """Several values in one cell, separated by |; a | inside a value would split it, so it becomes /."""
    return SEPARATOR.join(str(value).replace(SEPARATOR, "/") for value in values if value not in ("", None))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def person_title(row: dict[str, Any]) -> str:
    """A unique title for a person: the name (as far as the clearance reaches) and the start of the id."""
    name = " ".join(_text(row.get(part)) for part in ("family_name", "given_name", "patronymic")).split()
    return f"{' '.join(name)} ({row['id'][:8]})" if name else row["id"]


def _table(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    body = [columns, *([row.get(column, "") for column in columns] for row in rows)]
    return (BOM + csv_text(body)).encode("utf-8")


def _columns(rows: list[dict[str, Any]], wanted: list[str], always: tuple[str, ...]) -> list[str]:
    """The wanted columns the rows hold (all rows of a file have the same keys). Without rows, only the
    columns every export has: the others depend on the exporter's clearance, which rows would show."""
    held = set(rows[0]) if rows else set(always)
    return [column for column in wanted if column in held]


def cases_file(data: ExportData, persons_of: dict[str, list[str]]) -> bytes:
    """cases.csv: one entity per case."""
    rows = []
    for case in data.rows("cases"):
        row = {"title": case["reference"], "asylon_id": case["id"], "persons": many(persons_of.get(case["id"], []))}
        row.update({name: _text(case[f"{name}_label"]) for name in ("status", "risk") if f"{name}_label" in case})
        row.update({name: _text(case[name]) for name in ("jurisdiction", "summary") if name in case})
        row.update({name: uwazi_date(case[name]) for name in ("opened_on", "closed_on") if name in case})
        rows.append(row)
    wanted = ["title", "asylon_id", "status", "risk", "jurisdiction", "opened_on", "closed_on", "summary", "persons"]
    return _table(_columns(rows, wanted, ("title", "asylon_id", "persons")), rows)


def persons_file(data: ExportData, cases_of: dict[str, list[str]]) -> bytes:
    """persons.csv: one entity per person."""
    rows = []
    for person in data.rows("persons"):
        row = {"title": person_title(person), "asylon_id": person["id"], "cases": many(cases_of.get(person["id"], []))}
        for name in ("sex", "military_service_category", "claim_basis"):
            if f"{name}_label" in person:
                row[name] = _text(person[f"{name}_label"])
        for name in ("birth_year", "citizenship", "country_of_origin", "region", "entry_year"):
            if name in person:
                row[name] = _text(person[name])
        if "birth_date" in person:
            row["birth_date"] = uwazi_date(person["birth_date"])
        if "other_citizenships" in person:
            row["other_citizenships"] = many(person["other_citizenships"])
        rows.append(row)
    wanted = [
        "title",
        "asylon_id",
        "sex",
        "birth_date",
        "birth_year",
        "citizenship",
        "other_citizenships",
        "country_of_origin",
        "region",
        "entry_year",
        "military_service_category",
        "claim_basis",
        "cases",
    ]
    return _table(_columns(rows, wanted, ("title", "asylon_id", "cases")), rows)


def _event_date(event: dict[str, Any]) -> str:
    """The exact date where the clearance reaches it, else the first day of the clear year and month."""
    if event.get("occurred_on"):
        return uwazi_date(event["occurred_on"])
    if event.get("year"):
        return uwazi_date(datetime.date(event["year"], event.get("month") or 1, 1))
    return ""


def events_file(data: ExportData, references: dict[str, str], persons: dict[str, str]) -> bytes:
    """events.csv: one entity per event (an ESF act), linked to its case and victim by title."""
    sources = {row["id"]: row.get("title", "") for row in data.rows("sources")}
    rows = []
    for event in data.rows("events"):
        reference = references.get(event["case_id"], "")
        row = {
            "title": f"{event['event_type_label']}, {reference} ({event['id'][:8]})",
            "asylon_id": event["id"],
            "event_type": _text(event["event_type_label"]),
            "huridocs_code": _text(event.get("event_type_huridocs")),
            "date": _event_date(event),
            "case": reference,
            "victim": persons.get(event.get("person_id") or "", ""),
        }
        for name in ("date_precision", "perpetrator", "violation_status"):
            if f"{name}_label" in event:
                row[name] = _text(event[f"{name}_label"])
        for name in ("country", "region", "description"):
            if name in event:
                row[name] = _text(event[name])
        if "sources_ids" in event and sources:
            row["sources"] = many([sources.get(source_id, "") for source_id in event["sources_ids"]])
        rows.append(row)
    wanted = [
        "title",
        "asylon_id",
        "event_type",
        "huridocs_code",
        "date",
        "date_precision",
        "country",
        "region",
        "perpetrator",
        "violation_status",
        "description",
        "case",
        "victim",
        "sources",
    ]
    return _table(
        _columns(rows, wanted, ("title", "asylon_id", "event_type", "huridocs_code", "date", "case", "victim")), rows
    )


def uwazi_zip(data: ExportData) -> bytes:
    """The zip of the three Uwazi CSV files."""
    references = {row["id"]: row["reference"] for row in data.rows("cases")}
    persons = {row["id"]: person_title(row) for row in data.rows("persons")}
    persons_of: dict[str, list[str]] = defaultdict(list)
    cases_of: dict[str, list[str]] = defaultdict(list)
    for party in data.rows("parties"):
        if party["person_id"] in persons:
            persons_of[party["case_id"]].append(persons[party["person_id"]])
            cases_of[party["person_id"]].append(references.get(party["case_id"], ""))
    files = {
        "cases.csv": cases_file(data, persons_of),
        "persons.csv": persons_file(data, cases_of),
        "events.csv": events_file(data, references, persons),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(zip_member(name, data.exported_at), content)
    return buffer.getvalue()
