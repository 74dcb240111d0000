"""Appending to the audit log. Every service calls `record` inside its own transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models

from asylon.audit.models import AuditEntry

BULK_BATCH_SIZE = 2000


def _entry(
    *,
    actor: Any,
    action: str,
    target: models.Model | None,
    organisation: Any,
    changed_fields: Sequence[str],
    details: dict[str, Any] | None,
) -> AuditEntry:
    if organisation is None and target is not None:
        organisation = getattr(target, "organisation", None)
    return AuditEntry(
        organisation=organisation,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        changed_fields=sorted(changed_fields),
        details=details or {},
    )


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    organisation: Any = None,
    changed_fields: Sequence[str] = (),
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. `details` must hold ids and codes only, never personal values."""
    entry = _entry(
        actor=actor,
        action=action,
        target=target,
        organisation=organisation,
        changed_fields=changed_fields,
        details=details,
    )
    entry.save()
    return entry


def record_many(*, actor: Any, action: str, targets: Iterable[models.Model], organisation: Any = None) -> int:
    """Append one entry per target in batches: the bulk paths (synth, import) use this."""
    entries = [
        _entry(actor=actor, action=action, target=target, organisation=organisation, changed_fields=(), details=None)
        for target in targets
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=BULK_BATCH_SIZE)
    return len(entries)
