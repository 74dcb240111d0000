"""Reads of the audit log for organisation admins and auditors: their organisation's entries only."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from asylon.accounts.models import Membership, Organisation, Role
from asylon.accounts.permissions import require
from asylon.audit.models import AuditEntry, Checkpoint

AUDIT_ROLES = (Role.ORG_ADMIN, Role.AUDITOR)


@dataclass(frozen=True)
class EntryFilter:
    """What an auditor narrows the log to; empty fields do not filter."""

    action: str = ""
    actor: str = ""  # an email address or a user id
    target_type: str = ""
    target_id: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def organisations_audited_by(user: Any) -> QuerySet[Organisation]:
    """The organisations whose audit log the user may read."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=AUDIT_ROLES).order_by("name")


def audit_entries_of(*, user: Any, organisation: Organisation, filters: EntryFilter) -> QuerySet[AuditEntry]:
    """The organisation's entries, plus sign-in events of its staff, newest first, narrowed by `filters`."""
    require(user, "audit.view_auditentry", organisation)
    staff_ids = [
        str(pk) for pk in Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True)
    ]
    entries = AuditEntry.objects.filter(
        Q(organisation=organisation)
        | Q(organisation__isnull=True, target_type="accounts.user", target_id__in=staff_ids)
    )
    if filters.action:
        entries = entries.filter(action__startswith=filters.action)
    if filters.actor:
        actor_id = _uuid_or_none(filters.actor)
        by_email = Membership.objects.filter(organisation=organisation, user__email__iexact=filters.actor)
        actor_ids = [*by_email.values_list("user_id", flat=True), *([actor_id] if actor_id else [])]
        entries = entries.filter(actor_id__in=actor_ids)  # an unknown actor matches nothing
    if filters.target_type:
        entries = entries.filter(target_type=filters.target_type)
    if filters.target_id:
        entries = entries.filter(target_id=filters.target_id)
    if filters.since:
        entries = entries.filter(created_at__date__gte=filters.since)
    if filters.until:
        entries = entries.filter(created_at__date__lte=filters.until)
    return entries.order_by("-sequence")


def _uuid_or_none(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        return None


def checkpoints_visible_to(user: Any) -> QuerySet[Checkpoint]:
    """Signed checkpoints (instance-wide: counts and hashes only) for anyone who audits an organisation."""
    if not organisations_audited_by(user).exists():
        return Checkpoint.objects.none()
    return Checkpoint.objects.order_by("-sequence", "-created_at")
