"""Appending to the audit log. Every service calls `record` inside its own transaction.

Appending locks the chain head (`ChainHead`, one row) with SELECT ... FOR UPDATE, so writers on
separate PostgreSQL connections take turns and the sequence runs 1..N without gaps or forks. The
lock is held until the caller's transaction commits, which is why services call `record` last.
SQLite serialises writers already (BEGIN IMMEDIATE), and ignores FOR UPDATE.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from asylon.audit import context
from asylon.audit.chain import GENESIS_HASH, canonical_time, entry_digest, normalised_json
from asylon.audit.models import AuditEntry, ChainHead

BULK_BATCH_SIZE = 2000
_UNSET: Any = object()


def _entry(
    *,
    actor: Any,
    action: str,
    target: models.Model | None,
    organisation: Any,  # an Organisation, its id, or None (taken from the target when it has one)
    changed_fields: Sequence[str],
    details: dict[str, Any] | None,
    remote_address: str | None,
) -> AuditEntry:
    organisation_id = getattr(organisation, "pk", organisation)
    if organisation_id is None and target is not None:
        organisation_id = getattr(target, "organisation_id", None)
    return AuditEntry(
        organisation_id=organisation_id,
        actor_id=getattr(actor, "pk", None),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        changed_fields=sorted(changed_fields),
        details=normalised_json(details) if details else {},
        remote_address=_normalised_address(remote_address),
    )


def _normalised_address(address: str | None) -> str | None:
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _locked_head() -> ChainHead:
    """The chain head, locked until the transaction ends; recreated from the last entry if missing."""
    head = ChainHead.objects.select_for_update().filter(pk=ChainHead.SINGLETON).first()
    if head is not None:
        return head
    last = AuditEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
    ChainHead.objects.bulk_create(
        [
            ChainHead(
                pk=ChainHead.SINGLETON,
                sequence=last["sequence"] if last else 0,
                entry_hash=last["entry_hash"] if last else GENESIS_HASH,
            )
        ],
        ignore_conflicts=True,  # another writer created it first: wait for its lock below
    )
    return ChainHead.objects.select_for_update().get(pk=ChainHead.SINGLETON)


def _chain(entries: list[AuditEntry], head: ChainHead) -> None:
    """Give each entry its sequence, timestamp and hashes after `head`, then move the head."""
    now = timezone.now()
    now_text = canonical_time(now)
    sequence, previous = head.sequence, head.entry_hash
    for entry in entries:
        sequence += 1
        entry.sequence = sequence
        entry.created_at = now
        entry.previous_hash = previous
        entry.entry_hash = previous = entry_digest(
            {
                "sequence": sequence,
                "created_at": now,
                "actor_id": entry.actor_id,
                "organisation_id": entry.organisation_id,
                "action": entry.action,
                "target_type": entry.target_type,
                "target_id": entry.target_id,
                "changed_fields": entry.changed_fields,
                "details": entry.details,
                "remote_address": entry.remote_address,
                "previous_hash": entry.previous_hash,
            },
            created_at=now_text,
        )
    ChainHead.objects.filter(pk=ChainHead.SINGLETON).update(sequence=sequence, entry_hash=previous)


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    organisation: Any = None,
    changed_fields: Sequence[str] = (),
    details: dict[str, Any] | None = None,
    remote_address: str | None = _UNSET,
) -> AuditEntry:
    """Append one entry. `details` must hold ids and codes only, never personal values.

    The remote address defaults to the current request's client address (none outside requests
    and for the public help pages).
    """
    entry = _entry(
        actor=actor,
        action=action,
        target=target,
        organisation=organisation,
        changed_fields=changed_fields,
        details=details,
        remote_address=context.remote_address() if remote_address is _UNSET else remote_address,
    )
    with transaction.atomic():
        _chain([entry], _locked_head())
        entry.save(force_insert=True)
    return entry


def record_many(*, actor: Any, action: str, targets: Iterable[models.Model], organisation: Any = None) -> int:
    """Append one entry per target, chained in one pass under one lock: the bulk paths (synth, import)."""
    address = context.remote_address()
    entries = [
        _entry(
            actor=actor,
            action=action,
            target=target,
            organisation=organisation,
            changed_fields=(),
            details=None,
            remote_address=address,
        )
        for target in targets
    ]
    if not entries:
        return 0
    with transaction.atomic():
        _chain(entries, _locked_head())
        AuditEntry.objects.bulk_create(entries, batch_size=BULK_BATCH_SIZE)
    return len(entries)
