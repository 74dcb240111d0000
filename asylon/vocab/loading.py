"""Load the instance-wide reference data (vocabularies, terms, legal rules) from the JSON files in data/.

The same function runs in a data migration (with the historical `apps`) and in the
`load_reference_data` management command, so it only touches fields that exist since
vocab.0001_initial and never calls model methods. It upserts by code: re-running it creates no
duplicates, corrects labels, and never deletes or deactivates rows (cases refer to them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import transaction

from asylon.vocab import codes
from asylon.vocab.cache import vocabulary_changed
from asylon.vocab.models import LEGAL_RULE_TERMS

DATA_DIR = Path(__file__).resolve().parent / "data"
VOCABULARIES_FILE = DATA_DIR / "vocabularies.json"
LEGAL_RULES_FILE = DATA_DIR / "legal_rules.json"

_RULE_FIELDS = ("jurisdiction", "deadline_kind", *LEGAL_RULE_TERMS)


class ReferenceDataError(ValueError):
    """The reference data files are inconsistent (for example a parent or forum code that does not exist)."""


@dataclass
class LoadReport:
    """How many instance-wide rows the loader created and updated."""

    vocabularies_created: int = 0
    vocabularies_updated: int = 0
    terms_created: int = 0
    terms_updated: int = 0
    legal_rules_created: int = 0
    legal_rules_updated: int = 0

    def __str__(self) -> str:
        return (
            f"vocabularies: {self.vocabularies_created} created, {self.vocabularies_updated} updated; "
            f"terms: {self.terms_created} created, {self.terms_updated} updated; "
            f"legal rules: {self.legal_rules_created} created, {self.legal_rules_updated} updated"
        )


def load_reference_data(apps: Apps | None = None) -> LoadReport:
    """Upsert the instance-wide vocabularies, terms (with parents) and legal rules from the JSON files."""
    registry = apps or global_apps
    report = LoadReport()
    with transaction.atomic():
        _load_vocabularies(registry, _read(VOCABULARIES_FILE)["vocabularies"], report)
        _load_legal_rules(registry, _read(LEGAL_RULES_FILE)["legal_rules"], report)
    vocabulary_changed()  # historical models (in migrations) send no signal the cache listens to
    return report


def _read(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _assign(row: Any, values: dict[str, Any]) -> bool:
    """Set the values that differ; True when anything changed."""
    changed = False
    for field, value in values.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    return changed


def _load_vocabularies(registry: Apps, vocabularies: list[dict[str, Any]], report: LoadReport) -> None:
    vocabulary_model = registry.get_model("vocab", "Vocabulary")
    term_model = registry.get_model("vocab", "Term")
    for entry in vocabularies:
        if entry["code"] not in codes.ALL:
            raise ReferenceDataError(f"vocabulary {entry['code']!r} is not listed in asylon.vocab.codes.ALL")
        vocabulary = vocabulary_model.objects.filter(organisation__isnull=True, code=entry["code"]).first()
        if vocabulary is None:
            vocabulary = vocabulary_model.objects.create(organisation=None, code=entry["code"], labels=entry["labels"])
            report.vocabularies_created += 1
        elif _assign(vocabulary, {"labels": entry["labels"]}):
            vocabulary.save()
            report.vocabularies_updated += 1

        loaded: dict[str, Any] = {}
        for position, item in enumerate(entry["terms"], start=1):
            parent_code = item.get("parent")
            if parent_code and parent_code not in loaded:
                raise ReferenceDataError(
                    f"term {item['code']!r} of {entry['code']!r}: parent {parent_code!r} must be listed before it"
                )
            values = {
                "labels": item["labels"],
                "huridocs_code": item.get("huridocs_code", ""),
                "parent_id": loaded[parent_code].pk if parent_code else None,
                "position": item.get("position", position),
            }
            term = term_model.objects.filter(
                vocabulary=vocabulary, organisation__isnull=True, code=item["code"]
            ).first()
            if term is None:
                term = term_model.objects.create(vocabulary=vocabulary, organisation=None, code=item["code"], **values)
                report.terms_created += 1
            elif _assign(term, values):
                term.version += 1
                term.save()
                report.terms_updated += 1
            loaded[item["code"]] = term


def _instance_term(registry: Apps, vocabulary: str, code: str, *, rule: str) -> Any:
    term_model = registry.get_model("vocab", "Term")
    term = term_model.objects.filter(
        vocabulary__organisation__isnull=True, vocabulary__code=vocabulary, organisation__isnull=True, code=code
    ).first()
    if term is None:
        raise ReferenceDataError(f"legal rule {rule!r}: no term {code!r} in vocabulary {vocabulary!r}")
    return term


def _optional_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _load_legal_rules(registry: Apps, rules: list[dict[str, Any]], report: LoadReport) -> None:
    rule_model = registry.get_model("vocab", "LegalRule")
    for item in rules:
        values = {field: item[field] for field in _RULE_FIELDS if field in item}
        values["decision_type_id"] = _instance_term(
            registry, codes.DECISION_TYPE, item["decision_type"], rule=item["code"]
        ).pk
        values["forum_id"] = (
            _instance_term(registry, codes.DECISION_MAKER, item["forum"], rule=item["code"]).pk
            if item.get("forum")
            else None
        )
        values["decided_by_id"] = (
            _instance_term(registry, codes.DECISION_MAKER, item["decided_by"], rule=item["code"]).pk
            if item.get("decided_by")
            else None
        )
        values["valid_from"] = _optional_date(item.get("valid_from"))
        values["valid_until"] = _optional_date(item.get("valid_until"))
        rule = rule_model.objects.filter(organisation__isnull=True, code=item["code"]).first()
        if rule is None:
            rule_model.objects.create(organisation=None, code=item["code"], **values)
            report.legal_rules_created += 1
        elif _assign(rule, values):
            rule.save()
            report.legal_rules_updated += 1
