"""Field sensitivity levels and the clearance of each role: who may receive which field of a record.

Every field of a personal-data model has a level (`SENSITIVITY`, `docs/security/clearance.md`);
a field not listed is RESTRICTED, so a new field is hidden until someone decides otherwise. Each
role has a clearance (`ROLE_CLEARANCE`); `redacted(user, obj)` returns a read-only view of the
record holding only the fields the user's clearance reaches. Fields above it are never read from
the instance, so their ciphertexts are not even decrypted. Which records a user may open at all is
decided elsewhere (selectors: organisation and case membership); clearance narrows what is shown.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from asylon.accounts.models import Role
from asylon.accounts.permissions import organisation_of, role_in


class Level(enum.IntEnum):
    """How sensitive a field is; a user receives a field when their clearance is at least its level."""

    PUBLIC = 0  # coarse analytic values: counted in statistics, name no one by themselves
    INTERNAL = 1  # operational facts of the organisation's work: dates it works to, statuses, links
    CONFIDENTIAL = 2  # identity, contacts, whereabouts, narratives, notes: what casework needs
    RESTRICTED = 3  # military unit, rank and role: what a hostile service would hunt for first


ROLE_CLEARANCE: dict[str, Level] = {
    Role.ORG_ADMIN: Level.RESTRICTED,
    Role.LAWYER: Level.RESTRICTED,
    Role.CASEWORKER: Level.CONFIDENTIAL,
    Role.VIEWER: Level.INTERNAL,
    Role.AUDITOR: Level.INTERNAL,
    Role.ANALYST: Level.PUBLIC,
}

DEFAULT_LEVEL = Level.RESTRICTED

PUB, INT, CONF, RESTR = Level.PUBLIC, Level.INTERNAL, Level.CONFIDENTIAL, Level.RESTRICTED
_RECORD = {"id": INT, "organisation": INT, "created_at": INT, "updated_at": INT}

# `app_label.model` -> field name -> level. Fields of `_RECORD` are the bookkeeping every model has.
SENSITIVITY: dict[str, dict[str, Level]] = {
    "people.person": {
        **_RECORD,
        "given_name": CONF,
        "family_name": CONF,
        "patronymic": CONF,
        "name_variants": CONF,
        "birth_date": CONF,
        "contacts": CONF,
        "identifiers": CONF,
        "addresses": CONF,
        "religion": CONF,
        "biography": CONF,
        "host_country_history": CONF,
        "birth_year": PUB,
        "sex": PUB,
        "citizenship": PUB,
        "other_citizenships": PUB,
        "country_of_origin": PUB,
        "region": PUB,
        "entry_year": PUB,
        "languages": PUB,
        "dependants": PUB,
        "vulnerabilities": INT,
        "military_service_category": PUB,
        "military_status": PUB,
        "claim_basis": PUB,
        "objection_declared": PUB,
        "draft_evader": PUB,
        "deserter": PUB,
    },
    "people.militaryserviceperiod": {
        **_RECORD,
        "person": INT,
        "service_type": PUB,
        "start_year": PUB,
        "end_year": PUB,
        "combat_exposure": PUB,
        "unit": RESTR,
        "rank": RESTR,
        "role": RESTR,
    },
    "people.relationship": {
        **_RECORD,
        "person": INT,
        "relative": INT,
        "kind": PUB,
        "in_security_structures": PUB,
        "under_pressure": PUB,
        "description": CONF,
    },
    "people.consentrecord": {
        **_RECORD,
        "person": INT,
        "purpose": INT,
        "given_on": INT,
        "withdrawn_on": INT,
        "recorded_by": INT,
        "note": CONF,
    },
    "cases.case": {
        **_RECORD,
        "reference": INT,
        "status": PUB,
        "risk": INT,
        "jurisdiction": PUB,
        "lead_assignee": INT,
        "opened_on": INT,
        "closed_on": INT,
        "summary": CONF,
    },
    "cases.caseparty": {**_RECORD, "case": INT, "person": INT, "role": INT},
    "cases.event": {
        **_RECORD,
        "case": INT,
        "person": INT,
        "event_type": PUB,
        "occurred_on": CONF,
        "date_precision": PUB,
        "year": PUB,
        "month": PUB,
        "country": PUB,
        "region": PUB,
        "perpetrator": PUB,
        "description": CONF,
        "violation_status": PUB,
        "alert_safe": INT,
        "consent_to_publish": INT,
        "sources": INT,
    },
    "cases.decision": {
        **_RECORD,
        "case": INT,
        "event": INT,
        "decision_type": PUB,
        "decision_maker": PUB,
        "outcome": PUB,
        "grounds": PUB,
        "decided_on": CONF,
        "served_on": CONF,
        "served_year": PUB,
        "served_month": PUB,
        "reference_number": CONF,
    },
    "cases.proceeding": {
        **_RECORD,
        "case": INT,
        "decision": INT,
        "tier": PUB,
        "court": PUB,
        "lodged_on": CONF,
        "lodged_year": PUB,
        "outcome": PUB,
        "decided_year": PUB,
        "court_reference": CONF,
    },
    "cases.hearing": {**_RECORD, "proceeding": INT, "scheduled_for": INT, "notes": CONF},
    "cases.intervention": {
        **_RECORD,
        "case": INT,
        "intervention_type": PUB,
        "carried_out_on": INT,
        "performed_by": INT,
        "addressee": INT,
        "description": CONF,
        "response": CONF,
    },
    "cases.deadline": {
        **_RECORD,
        "case": INT,
        "decision": INT,
        "legal_rule": INT,
        "kind": INT,
        "title": CONF,
        "due_on": INT,
        "status": INT,
        "computation": INT,
    },
    "cases.task": {
        **_RECORD,
        "case": INT,
        "title": CONF,
        "assignee": INT,
        "due_on": INT,
        "completed_at": INT,
        "created_by": INT,
    },
    "cases.note": {**_RECORD, "case": INT, "author": INT, "body": CONF, "privileged": INT},
    "cases.statusperiod": {
        **_RECORD,
        "case": INT,
        "person": INT,
        "kind": PUB,
        "status": PUB,
        "started_on": CONF,
        "ended_on": CONF,
        "start_year": PUB,
        "start_month": PUB,
        "duration_days": PUB,
        "current": INT,
    },
    "evidence.document": {
        **_RECORD,
        "case": INT,
        "person": INT,
        "event": INT,
        "filename": CONF,
        "description": CONF,
        "received_sha256": CONF,
        "sha256": CONF,
        "content_type": INT,
        "size": INT,
        "blob_name": RESTR,
        "uploaded_by": INT,
        "redaction_level": INT,
        "consent_to_publish": INT,
    },
    # A public citation: published material, internal only because of which cases point to it.
    "evidence.source": {
        **_RECORD,
        "title": INT,
        "publisher": INT,
        "url": INT,
        "published_on": INT,
        "accessed_on": INT,
        "reliability": INT,
        "citation": INT,
        "events": INT,
    },
    # An import run describes the organisation's work; its file name and its report (problems by row
    # and column, duplicate pairs) may say who is in the file.
    "ops.importrun": {
        **_RECORD,
        "actor": INT,
        "profile": INT,
        "status": INT,
        "mode": INT,
        "file_name": CONF,
        "file_format": INT,
        "file_size": INT,
        "file_stored": INT,
        "error_file_stored": INT,
        "mapping": INT,
        "options": INT,
        "rows_total": INT,
        "rows_done": INT,
        "report": CONF,
        "counts": INT,
        "checked_at": INT,
        "finished_at": INT,
    },
    # Public intake (docs/intake.md): what the person wrote is confidential; the codename's digest and verifier
    # are restricted; urgency, deadline and triage state are what the queue works to.
    "intake.intakesubmission": {
        **_RECORD,
        "lookup_key": RESTR,
        "verifier": RESTR,
        "payload": CONF,
        "language": INT,
        "urgency": INT,
        "deadline_on": INT,
        "status": INT,
        "triaged_at": INT,
        "triaged_by": INT,
        "discard_reason": CONF,
        "converted_case": INT,
        "message_count": INT,
        "last_public_message_on": INT,
    },
    "intake.intakemessage": {**_RECORD, "submission": INT, "direction": INT, "body": CONF, "author": INT, "seq": INT},
    "intake.intakefile": {
        **_RECORD,
        "submission": INT,
        "message": INT,
        "filename": CONF,
        "sha256": CONF,
        "content_type": INT,
        "size": INT,
        "blob_name": RESTR,
    },
}
del PUB, INT, CONF, RESTR


def field_level(model: type[models.Model] | models.Model, field_name: str) -> Level:
    """The sensitivity of one field; unlisted fields (and unlisted models) are RESTRICTED."""
    return SENSITIVITY.get(model._meta.label_lower, {}).get(field_name, DEFAULT_LEVEL)


def clearance_of(user: Any, obj: models.Model) -> Level | None:
    """The user's clearance for records of `obj`'s organisation (None without a role there)."""
    role = role_in(user, organisation_of(obj))
    return ROLE_CLEARANCE.get(role) if role else None


class _Redaction:
    """Stands in for a value the viewer's clearance does not reach."""

    def __str__(self) -> str:
        return "▇▇▇"

    def __repr__(self) -> str:
        return "REDACTED"

    def __bool__(self) -> bool:
        return False


REDACTED: Any = _Redaction()


def _withheld_by_row(user: Any, obj: models.Model) -> set[str]:
    """Fields withheld whatever the clearance: a privileged note's body is for its case's lawyers only."""
    import rules

    note_is_privileged = obj._meta.label_lower == "cases.note" and getattr(obj, "privileged", False)
    if note_is_privileged and not rules.has_perm("cases.view_privileged_note", user, obj.case):  # type: ignore[attr-defined]
        return {"body"}
    return set()


def _field_names(model: type[models.Model]) -> list[str]:
    return [field.name for field in model._meta.get_fields() if field.concrete or field.many_to_many]


class Redacted(Mapping[str, Any]):
    """A read-only view of a record holding only what the viewer may receive.

    Works as a mapping (`view["given_name"]`) and by attribute (`view.given_name`, as templates
    do). A field above the viewer's clearance is `REDACTED` (falsy, shown as a bar); iterating
    yields only the visible fields. The record itself is not reachable from the view.
    """

    __slots__ = ("_hidden", "_label", "_values", "pk")

    def __init__(self, values: dict[str, Any], hidden: frozenset[str], label: str, pk: Any) -> None:
        object.__setattr__(self, "_values", values)
        object.__setattr__(self, "_hidden", hidden)
        object.__setattr__(self, "_label", label)
        object.__setattr__(self, "pk", pk)

    def __getitem__(self, name: str) -> Any:
        if name in self._values:
            return self._values[name]
        if name in self._hidden:
            return REDACTED
        raise KeyError(name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"{self._label} has no field {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a redacted record is read-only")

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"<Redacted {self._label}:{self.pk} {sorted(self._values)}>"

    @property
    def hidden(self) -> frozenset[str]:
        """Names of the fields withheld from this viewer."""
        return self._hidden


def visible_fields(user: Any, obj: models.Model) -> list[str]:
    """Names of `obj`'s fields that the user's clearance reaches (PermissionDenied without a role)."""
    clearance = clearance_of(user, obj)
    if clearance is None:
        raise PermissionDenied("no role in the record's organisation")
    withheld = _withheld_by_row(user, obj)
    return [name for name in _field_names(type(obj)) if name not in withheld and field_level(obj, name) <= clearance]


def redacted(user: Any, obj: models.Model) -> Redacted:
    """A read-only view of `obj` with only the fields the user may receive.

    Foreign keys and many-to-many fields are given as ids (`person_id`, list of ids) under the
    field's name, never as the related record, whose own fields need their own clearance check.
    """
    shown = set(visible_fields(user, obj))
    values: dict[str, Any] = {}
    for field in type(obj)._meta.get_fields():
        if field.name not in shown:
            continue
        if field.many_to_many:
            values[field.name] = list(getattr(obj, field.name).values_list("pk", flat=True))
        elif field.is_relation:
            values[field.name] = getattr(obj, field.attname)  # type: ignore[union-attr]
        else:
            values[field.name] = getattr(obj, field.name)
    hidden = frozenset(_field_names(type(obj))) - shown
    return Redacted(values, hidden, obj._meta.label_lower, obj.pk)


def redacted_many(user: Any, objects: Any) -> list[Redacted]:
    """`redacted` for each record of an iterable (a page of a list)."""
    return [redacted(user, obj) for obj in objects]
