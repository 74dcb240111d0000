"""The append-only audit log: who did what to which record, with ids only, never personal values.

Entries form a hash chain: each carries a gapless `sequence`, the hash of the entry before it and
its own hash over a canonical JSON of its fields (`asylon.audit.chain`). `ChainHead` is a single
row that writers lock to append, so concurrent writers never fork the chain. `Checkpoint` rows
sign the head with an Ed25519 key kept outside the database (`asylon.audit.signing`).
"""

from __future__ import annotations

import uuid
from typing import Any

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit entry through the ORM."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly("audit records cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("audit records cannot be deleted")


class AppendOnly(models.Model):
    """A row that is written once and never changed or deleted through the ORM."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("audit records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("audit records cannot be deleted")


# Kept for callers that name the entry queryset.
AuditEntryQuerySet = AppendOnlyQuerySet


class AuditEntry(AppendOnly):
    """One audited action. `changed_fields` names fields only; encrypted values never enter the log."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sequence = models.BigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    changed_fields = models.JSONField(default=list, blank=True)
    details = models.JSONField(default=dict, blank=True)
    remote_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"audit:{self.sequence}"


class ChainHead(models.Model):
    """The last entry's sequence and hash; the single row every writer locks before appending."""

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    sequence = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"chain-head:{self.sequence}"


class Checkpoint(AppendOnly):
    """A signed statement of the chain at one moment: its last sequence, entry count and head hash."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sequence = models.BigIntegerField(_("sequence"))
    entry_count = models.BigIntegerField(_("entry count"))
    head_hash = models.CharField(_("head hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    key_id = models.CharField(_("signing key id"), max_length=32)
    signature = models.TextField(_("signature"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence", "-created_at"]

    def __str__(self) -> str:
        return f"checkpoint:{self.sequence}"


class CaptureManager(LogEntryManager):
    """django-auditlog's entry point: turns each change it detects into a chained AuditEntry.

    Nothing is stored in auditlog's own table: `log_create` hands the changed field names to
    `asylon.audit.capture` and returns None.
    """

    def log_create(self, instance: Any, force_log: bool = False, **kwargs: Any) -> None:
        from asylon.audit.capture import change_captured

        change_captured(instance=instance, action=kwargs.get("action"), changes=kwargs.get("changes") or {})

    def log_m2m_changes(self, *args: Any, **kwargs: Any) -> None:
        return None  # no many-to-many field is registered


class CapturedChange(AbstractLogEntry):
    """auditlog's log entry model (AUDITLOG_LOGENTRY_MODEL), without a table: see CaptureManager."""

    # No relations: deleting a user or a content type must not look for rows in a table that does not exist.
    content_type = None  # type: ignore[assignment]
    actor = None  # type: ignore[assignment]

    objects = CaptureManager()

    class Meta(AbstractLogEntry.Meta):
        abstract = False
        managed = False
        db_table = "audit_captured_change_not_stored"
        verbose_name = _("captured change")

    def __str__(self) -> str:
        return f"captured-change:{self.pk}"
