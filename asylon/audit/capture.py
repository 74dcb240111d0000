"""Change capture with django-auditlog: writes made outside the services (Django admin, shell, a
script) still reach the chained audit log, as field names only.

auditlog's receivers watch the registered personal-data models and compute which fields changed.
Encrypted fields are registered as masked, so a changed encrypted field is reported by name with
the value "changed"; values never leave the diff. Our `CapturedChange` model (auditlog's
AUDITLOG_LOGENTRY_MODEL) has no table: its manager appends an AuditEntry (`captured.create`,
`captured.update` or `captured.delete`) and stores nothing else.

No double entries: a write made while a service function is on the call stack (a module
`asylon.<app>.services`, a module of the package `asylon.<app>.services.<concept>`, or
`asylon.<app>.services_<concept>`) is skipped, because every service appends its own entry in the same
transaction (docs/architecture.md). The `pre_log` receiver checks this before auditlog computes
the diff, so service writes cost no decryption here.
"""

from __future__ import annotations

import sys
from typing import Any

from auditlog.registry import auditlog
from django.apps import apps
from django.db import models

from asylon.audit import context
from asylon.audit.services import record
from asylon.common.encrypted import EncryptedField

CAPTURED_MODELS = (
    "people.Person",
    "people.MilitaryServicePeriod",
    "people.Relationship",
    "people.ConsentRecord",
    "cases.Case",
    "cases.CaseParty",
    "cases.CaseMembership",
    "cases.Event",
    "cases.Decision",
    "cases.Proceeding",
    "cases.Hearing",
    "cases.Intervention",
    "cases.Deadline",
    "cases.Task",
    "cases.Note",
    "cases.StatusPeriod",
    "evidence.Document",
    "evidence.CustodyEntry",
    "evidence.Source",
    "reports.ExternalStatistic",
    "reports.Report",
    "reports.ReportVersion",
    "accounts.Membership",
)
ACTIONS = {0: "captured.create", 1: "captured.update", 2: "captured.delete"}  # auditlog's Action values
CHANGED = "changed"


def mask_changed(value: Any) -> str:
    """auditlog's mask for encrypted fields: the value is replaced, only the fact of a change is kept."""
    return CHANGED


def encrypted_field_names(model: type[models.Model]) -> list[str]:
    return sorted(field.name for field in model._meta.concrete_fields if isinstance(field, EncryptedField))


def register_models() -> None:
    """Register the personal-data models with auditlog, encrypted fields masked, no m2m tracking."""
    for label in CAPTURED_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if not auditlog.contains(model):
            auditlog.register(model, mask_fields=encrypted_field_names(model), m2m_fields=set())


def is_service_module(module: str) -> bool:
    """`asylon.<app>.services`, `asylon.<app>.services.<concept>` or `asylon.<app>.services_<concept>`
    (the audit app's own `record` is not a service that audits itself)."""
    parts = module.split(".")
    if len(parts) < 3 or parts[0] != "asylon" or parts[1] == "audit":
        return False
    return parts[2] == "services" or parts[2].startswith("services_")


def inside_service() -> bool:
    """Whether a service function is on the call stack."""
    frame = sys._getframe(1)
    while frame is not None:
        if is_service_module(frame.f_globals.get("__name__", "")):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def skip_service_writes(sender: Any, instance: Any, action: Any, **kwargs: Any) -> bool | None:
    """auditlog `pre_log` receiver: False (do not log) for writes a service audits itself."""
    return False if inside_service() else None


def change_captured(*, instance: models.Model, action: Any, changes: dict[str, Any]) -> None:
    """Append the captured change: the names of the changed fields, encrypted ones listed apart."""
    if action not in ACTIONS:
        return
    encrypted = set(encrypted_field_names(type(instance)))
    fields = sorted(changes)
    record(
        actor=context.actor(),
        action=ACTIONS[action],
        target=instance,
        changed_fields=fields,
        details={"encrypted": [name for name in fields if name in encrypted]},
    )
