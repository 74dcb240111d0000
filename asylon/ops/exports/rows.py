"""The rows of an export: every table of the cases in scope, with only the columns the exporter's
clearance reaches.

A column above the exporter's clearance (asylon/accounts/clearance.py) is left out of the table
altogether, never filled with blanks: a blank would read as "unknown" when it means "withheld".
The file says which columns were withheld (`ExportData.withheld`). A table none of whose columns
the clearance reaches is left out too. Vocabulary values and choices come as two columns: the code,
and its label in the active language (`<field>_label`).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone, translation

from asylon.accounts.clearance import Level, clearance_of, field_level
from asylon.cases.models import (
    Case,
    CaseParty,
    Decision,
    Event,
    Intervention,
    Note,
    Proceeding,
    StatusPeriod,
)
from asylon.cases.statuses import STATUS_VALUES
from asylon.evidence.models import Document, Source
from asylon.ops import selectors_exports as selectors
from asylon.ops.selectors_exports import ExportScope
from asylon.people.models import Person

# Tables in the order every format writes them.
TABLES = (
    "cases",
    "parties",
    "persons",
    "events",
    "decisions",
    "proceedings",
    "interventions",
    "status_periods",
    "documents",
    "notes",
    "sources",
)


@dataclass(frozen=True)
class Column:
    """One column: its header, the model field whose sensitivity decides who receives it, its value."""

    name: str
    field: str
    value: Callable[[Any], Any]


@dataclass
class Table:
    """One table of the export: its columns (only those the exporter receives) and its rows."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]]


@dataclass
class ExportData:
    """Everything an export holds, before any format writes it."""

    scope: ExportScope
    language: str
    exported_at: datetime.datetime
    clearance: Level
    case_ids: list[str]
    tables: dict[str, Table] = field(default_factory=dict)
    withheld: dict[str, list[str]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows per table (ids only; for the audit entry and the page)."""
        return {name: len(table.rows) for name, table in self.tables.items()}

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The rows of a table, none when it was left out."""
        return self.tables[table].rows if table in self.tables else []


# --- column builders --------------------------------------------------------------------------------


def plain(name: str) -> list[Column]:
    """A stored value as it is."""
    return [Column(name, name, lambda obj: getattr(obj, name))]


def key(name: str) -> list[Column]:
    """A link to another record, as its id (`case_id`, `person_id`, ...)."""
    return [Column(f"{name}_id", name, lambda obj: _text_or_none(getattr(obj, f"{name}_id")))]


def choice(name: str) -> list[Column]:
    """A choice field: its code, and its label in the active language."""
    return [
        Column(name, name, lambda obj: getattr(obj, name)),
        Column(f"{name}_label", name, lambda obj: choice_label(type(obj), name, getattr(obj, name))),
    ]


@functools.cache
def _choice_labels(model: type[models.Model], name: str, language: str) -> dict[Any, str]:
    return {code: str(label) for code, label in model._meta.get_field(name).flatchoices}  # type: ignore[union-attr]


def choice_label(model: type[models.Model], name: str, code: Any) -> str:
    """A choice's label in the active language, translated once per field and language (Django's
    `get_FOO_display` hashes the lazy labels, which translates all of them, on every call)."""
    return _choice_labels(model, name, translation.get_language() or "en").get(code, "" if code is None else str(code))


def term(name: str, *, huridocs: bool = False) -> list[Column]:
    """A vocabulary term: its code and label (and its HURIDOCS code where the vocabulary has them)."""
    columns = [
        Column(name, name, lambda obj: _term_attr(getattr(obj, name), "code")),
        Column(f"{name}_label", name, lambda obj: _term_label(getattr(obj, name))),
    ]
    if huridocs:
        columns.append(Column(f"{name}_huridocs", name, lambda obj: _term_attr(getattr(obj, name), "huridocs_code")))
    return columns


def terms(name: str) -> list[Column]:
    """Many terms (grounds cited, fetched by the selector as `export_<name>`): their codes and labels, as
    lists in the order of the vocabulary."""
    return [
        Column(name, name, lambda obj: [item.code for item in getattr(obj, f"export_{name}")]),
        Column(f"{name}_labels", name, lambda obj: [item.label() for item in getattr(obj, f"export_{name}")]),
    ]


def ids(name: str) -> list[Column]:
    """Many linked records (sources cited, fetched by the selector as `export_<name>_ids`) as their ids."""
    return [Column(f"{name}_ids", name, lambda obj: getattr(obj, f"export_{name}_ids"))]


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _term_attr(item: Any, attribute: str) -> str:
    return getattr(item, attribute) if item is not None else ""


def _term_label(item: Any) -> str:
    return item.label() if item is not None else ""


def _status_label(period: StatusPeriod) -> str:
    return str(STATUS_VALUES.get(period.kind, {}).get(period.status, period.status))


ID = [Column("id", "id", lambda obj: str(obj.pk))]

COLUMNS: dict[str, tuple[type[models.Model], list[Column]]] = {
    "cases": (
        Case,
        [
            *ID,
            *plain("reference"),
            *choice("status"),
            *choice("risk"),
            *plain("jurisdiction"),
            *key("lead_assignee"),
            *plain("opened_on"),
            *plain("closed_on"),
            *plain("summary"),
        ],
    ),
    "parties": (CaseParty, [*key("case"), *key("person"), *choice("role")]),
    "persons": (
        Person,
        [
            *ID,
            *plain("given_name"),
            *plain("family_name"),
            *plain("patronymic"),
            *plain("name_variants"),
            *plain("birth_date"),
            *plain("birth_year"),
            *choice("sex"),
            *plain("citizenship"),
            *plain("other_citizenships"),
            *plain("country_of_origin"),
            *plain("region"),
            *plain("entry_year"),
            *plain("languages"),
            *plain("dependants"),
            *plain("vulnerabilities"),
            *choice("military_service_category"),
            *plain("military_status"),
            *term("claim_basis"),
            *plain("objection_declared"),
            *plain("draft_evader"),
            *plain("deserter"),
            *plain("contacts"),
            *plain("identifiers"),
            *plain("addresses"),
            *plain("religion"),
            *plain("biography"),
            *plain("host_country_history"),
        ],
    ),
    "events": (
        Event,
        [
            *ID,
            *key("case"),
            *key("person"),
            *term("event_type", huridocs=True),
            *plain("occurred_on"),
            *choice("date_precision"),
            *plain("year"),
            *plain("month"),
            *plain("country"),
            *plain("region"),
            *term("perpetrator"),
            *plain("description"),
            *choice("violation_status"),
            *plain("alert_safe"),
            *plain("consent_to_publish"),
            *ids("sources"),
        ],
    ),
    "decisions": (
        Decision,
        [
            *ID,
            *key("case"),
            *key("event"),
            *term("decision_type"),
            *term("decision_maker"),
            *term("outcome"),
            *terms("grounds"),
            *plain("decided_on"),
            *plain("served_on"),
            *plain("served_year"),
            *plain("served_month"),
            *plain("reference_number"),
        ],
    ),
    "proceedings": (
        Proceeding,
        [
            *ID,
            *key("case"),
            *key("decision"),
            *choice("tier"),
            *term("court"),
            *plain("lodged_on"),
            *plain("lodged_year"),
            *term("outcome"),
            *plain("decided_year"),
            *plain("court_reference"),
        ],
    ),
    "interventions": (
        Intervention,
        [
            *ID,
            *key("case"),
            *term("intervention_type", huridocs=True),
            *plain("carried_out_on"),
            *key("performed_by"),
            *plain("addressee"),
            *plain("description"),
            *plain("response"),
        ],
    ),
    "status_periods": (
        StatusPeriod,
        [
            *ID,
            *key("case"),
            *key("person"),
            *choice("kind"),
            *plain("status"),
            Column("status_label", "status", _status_label),
            *plain("started_on"),
            *plain("ended_on"),
            *plain("start_year"),
            *plain("start_month"),
            *plain("duration_days"),
            *plain("current"),
        ],
    ),
    "documents": (
        Document,
        [
            *ID,
            *key("case"),
            *key("person"),
            *key("event"),
            *plain("filename"),
            *plain("description"),
            *plain("content_type"),
            *plain("size"),
            *plain("received_sha256"),
            *plain("sha256"),
            *choice("redaction_level"),
            *plain("consent_to_publish"),
            *plain("created_at"),
        ],
    ),
    "notes": (Note, [*ID, *key("case"), *key("author"), *plain("privileged"), *plain("created_at"), *plain("body")]),
    "sources": (
        Source,
        [
            *ID,
            *plain("title"),
            *plain("publisher"),
            *plain("url"),
            *plain("published_on"),
            *plain("accessed_on"),
            *choice("reliability"),
            *plain("citation"),
        ],
    ),
}


def visible_columns(model: type[models.Model], columns: list[Column], clearance: Level) -> list[Column]:
    """The columns whose field the clearance reaches."""
    return [column for column in columns if field_level(model, column.field) <= clearance]


def _table(name: str, records: Iterable[Any], clearance: Level, withheld: dict[str, list[str]]) -> Table | None:
    model, columns = COLUMNS[name]
    shown = visible_columns(model, columns, clearance)
    hidden = [column.name for column in columns if column not in shown]
    if hidden:
        withheld[name] = hidden
    if not shown:
        return None
    rows = [{column.name: column.value(obj) for column in shown} for obj in records]
    return Table(name, [column.name for column in shown], rows)


def export_rows(*, user: Any, scope: ExportScope) -> ExportData:
    """Every table of the scope's visible cases, with the columns the user's clearance reaches."""
    clearance = clearance_of(user, scope.organisation)
    if clearance is None:
        raise PermissionDenied("no role in the organisation")
    cases = selectors.export_cases(user=user, scope=scope)
    case_ids = list(cases.values_list("pk", flat=True))
    in_scope = cases.values("pk")
    data = ExportData(
        scope=scope,
        language=translation.get_language() or "en",
        exported_at=timezone.now(),
        clearance=clearance,
        case_ids=[str(pk) for pk in case_ids],
    )
    sources: dict[str, Callable[[], Iterable[Any]]] = {
        "cases": lambda: cases,
        "parties": lambda: selectors.export_parties(cases=in_scope),
        "persons": lambda: selectors.export_persons(user=user, cases=in_scope),
        "events": lambda: selectors.export_events(cases=in_scope),
        "decisions": lambda: selectors.export_decisions(cases=in_scope),
        "proceedings": lambda: selectors.export_proceedings(cases=in_scope),
        "interventions": lambda: selectors.export_interventions(cases=in_scope),
        "status_periods": lambda: selectors.export_status_periods(cases=in_scope),
        "documents": lambda: selectors.export_documents(cases=in_scope),
        "notes": lambda: selectors.export_notes(user=user, scope=scope, cases=in_scope),
        "sources": lambda: selectors.export_sources(cases=in_scope),
    }
    for name in TABLES:
        table = _table(name, sources[name](), clearance, data.withheld)
        if table is not None:
            data.tables[name] = table
    return data
