"""The HURIDOCS Events Standard Formats (ESF) shape: our records mapped onto ESF's formats.

ESF (HURIDOCS, 1993, revised 2001) records who did what to whom as linked formats. The mapping
(docs/exports.md has the table):

  ESF Event            <- Case (what the organisation documents; title = case reference)
  ESF Act              <- Event (what was done to a victim) and Decision (an act by an authority)
  ESF Person           <- Person (victims) and the perpetrators and decision makers (vocabulary
                          terms: institutions, so counted as groups)
  ESF Involvement      <- an act's perpetrator or decision maker
  ESF Information      <- a source an event cites (the source as a public citation)
  ESF Intervention     <- Intervention, and Proceeding (legal action at a court or body)
  ESF Chain of events  <- an event that led to a decision; a decision challenged by a proceeding

Field names follow ESF's (event_title, initial_date, type_of_act, degree_of_involvement,
type_of_intervention, ...); record numbers are our ids. The shape is checked by
`esf.schema.json` beside this module. Built from the export's rows, so it holds exactly the
columns the exporter's clearance reaches: a withheld field is absent, never empty.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from asylon.ops.exports.json_nested import dumps, header
from asylon.ops.exports.rows import ExportData

FORMAT_NAME = "asylon-esf"
VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("esf.schema.json")
STANDARD = "HURIDOCS Events Standard Formats (2001)"


def schema() -> dict[str, Any]:
    """The JSON Schema of the ESF export."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _picked(row: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """ESF field -> our column, for the columns the row holds (withheld ones are absent)."""
    return {esf: row[ours] for esf, ours in names.items() if ours in row}


def _term(row: dict[str, Any], name: str) -> dict[str, str] | None:
    """A vocabulary term as ESF's coded field: code, label, and the HURIDOCS code where there is one."""
    if name not in row or not row[name]:
        return None
    coded = {"code": row[name], "label": row.get(f"{name}_label", "")}
    if row.get(f"{name}_huridocs"):
        coded["huridocs_code"] = row[f"{name}_huridocs"]
    return coded


def _perpetrator_number(vocabulary_field: str, code: str) -> str:
    return f"term:{vocabulary_field}:{code}"


def _event(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "event_record_number": row["id"],
        **_picked(
            row,
            {
                "event_title": "reference",
                "initial_date": "opened_on",
                "final_date": "closed_on",
                "geographical_term": "jurisdiction",
                "event_description": "summary",
                "monitoring_status": "status",
            },
        ),
    }


def _act_of_event(row: dict[str, Any]) -> dict[str, Any]:
    act: dict[str, Any] = {
        "act_record_number": row["id"],
        "act_kind": "event",
        "event_record_number": row["case_id"],
        "victim": row.get("person_id"),
        "type_of_act": _term(row, "event_type"),
        **_picked(
            row,
            {
                "initial_date": "occurred_on",
                "date_type": "date_precision",
                "year": "year",
                "month": "month",
                "act_description": "description",
                "violation_status": "violation_status",
            },
        ),
    }
    location = _picked(row, {"country": "country", "region": "region"})
    if location:
        act["exact_location"] = location
    return act


def _act_of_decision(row: dict[str, Any], victims: dict[str, str | None]) -> dict[str, Any]:
    act: dict[str, Any] = {
        "act_record_number": row["id"],
        "act_kind": "decision",
        "event_record_number": row["case_id"],
        "victim": victims.get(row.get("event_id") or ""),
        "type_of_act": _term(row, "decision_type"),
        **_picked(
            row,
            {
                "initial_date": "decided_on",
                "served_on": "served_on",
                "year": "served_year",
                "month": "served_month",
                "decision_number": "reference_number",
            },
        ),
    }
    outcome = _term(row, "outcome")
    if outcome:
        act["outcome"] = outcome
    if "grounds" in row:
        act["grounds"] = [
            {"code": code, "label": label}
            for code, label in zip(row["grounds"], row.get("grounds_labels", []), strict=False)
        ]
    return act


def _victim(row: dict[str, Any]) -> dict[str, Any]:
    name = _picked(row, {"family_name": "family_name", "given_name": "given_name", "patronymic": "patronymic"})
    person: dict[str, Any] = {"person_record_number": row["id"], "counts": "individual"}
    if name:
        person["name"] = name
    if "name_variants" in row:
        person["other_names"] = row["name_variants"]
    person.update(
        _picked(
            row,
            {
                "sex": "sex",
                "date_of_birth": "birth_date",
                "year_of_birth": "birth_year",
                "citizenship": "citizenship",
                "other_citizenships": "other_citizenships",
                "origin": "country_of_origin",
                "local_geographical_area": "region",
                "religion": "religion",
                "languages": "languages",
                "biographic_remarks": "biography",
            },
        )
    )
    return person


def _group(number: str, label: str) -> dict[str, Any]:
    return {"person_record_number": number, "counts": "group", "name": {"group_name": label}}


def _information(event: dict[str, Any], sources: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    records = []
    for source_id in event.get("sources_ids", []):
        source = sources.get(source_id)
        record: dict[str, Any] = {
            "information_record_number": f"{event['id']}:{source_id}",
            "event_record_number": event["case_id"],
            "act_record_number": event["id"],
            "source_record_number": source_id,
        }
        if source is not None:
            record["source"] = _picked(
                source,
                {
                    "title": "title",
                    "publisher": "publisher",
                    "url": "url",
                    "date_of_source_material": "published_on",
                    "date_accessed": "accessed_on",
                    "reliability_of_source": "reliability",
                },
            )
        records.append(record)
    return records


def _intervention(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "intervention_record_number": row["id"],
        "event_record_number": row["case_id"],
        "type_of_intervention": _term(row, "intervention_type"),
        **_picked(
            row,
            {
                "date_of_intervention": "carried_out_on",
                "parties_requested_to_intervene": "addressee",
                "intervention_description": "description",
                "response": "response",
            },
        ),
    }


def _legal_action(row: dict[str, Any]) -> dict[str, Any]:
    action: dict[str, Any] = {
        "intervention_record_number": row["id"],
        "event_record_number": row["case_id"],
        "type_of_intervention": {"code": f"legal_action_{row['tier']}", "label": row["tier_label"]},
        **_picked(
            row, {"year": "lodged_year", "date_of_intervention": "lodged_on", "court_reference": "court_reference"}
        ),
    }
    court = _term(row, "court")
    if court:
        action["parties_requested_to_intervene"] = court["label"]
        action["court"] = court
    outcome = _term(row, "outcome")
    if outcome:
        action["response"] = outcome["label"]
        action["outcome"] = outcome
    return action


def esf(data: ExportData) -> dict[str, Any]:
    """The export in the ESF shape."""
    events = data.rows("events")
    decisions = data.rows("decisions")
    victims = {row["id"]: row.get("person_id") for row in events}
    acts = [_act_of_event(row) for row in events] + [_act_of_decision(row, victims) for row in decisions]
    persons = [_victim(row) for row in data.rows("persons")]
    groups: dict[str, str] = {}
    involvements = []
    for row, field, degree in [
        *((row, "perpetrator", "perpetrator") for row in events),
        *((row, "decision_maker", "decision_maker") for row in decisions),
    ]:
        if not row.get(field):
            continue
        number = _perpetrator_number(field, row[field])
        groups.setdefault(number, row.get(f"{field}_label", ""))
        involvements.append(
            {
                "involvement_record_number": f"{row['id']}:{number}",
                "act_record_number": row["id"],
                "event_record_number": row["case_id"],
                "perpetrator": number,
                "degree_of_involvement": degree,
            }
        )
    persons.extend(_group(number, label) for number, label in groups.items())
    sources = {row["id"]: row for row in data.rows("sources")}
    information = [record for row in events for record in _information(row, sources)]
    interventions = [_intervention(row) for row in data.rows("interventions")]
    interventions += [_legal_action(row) for row in data.rows("proceedings")]
    chains = [
        {
            "chain_record_number": f"{row['event_id']}>{row['id']}",
            "event_record_number": row["case_id"],
            "from_record": row["event_id"],
            "to_record": row["id"],
            "type_of_chain_of_events": "led_to_decision",
        }
        for row in decisions
        if row.get("event_id")
    ] + [
        {
            "chain_record_number": f"{row['decision_id']}>{row['id']}",
            "event_record_number": row["case_id"],
            "from_record": row["decision_id"],
            "to_record": row["id"],
            "type_of_chain_of_events": "decision_challenged",
        }
        for row in data.rows("proceedings")
        if row.get("decision_id")
    ]
    return {
        "format": FORMAT_NAME,
        "version": VERSION,
        "standard": STANDARD,
        **header(data),
        "events": [_event(row) for row in data.rows("cases")],
        "acts": acts,
        "persons": persons,
        "involvements": involvements,
        "information": information,
        "interventions": interventions,
        "chains_of_events": chains,
    }


def esf_export(data: ExportData) -> bytes:
    """The ESF-shaped JSON as bytes."""
    return dumps(esf(data))
