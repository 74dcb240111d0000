"""Reads of the console's security pages: the organisation's second-factor reset requests and its
latest revocations (read from the audit log, which is their record).

Requests name staff accounts (the rows show their email addresses), so the rows shown are noted for
the read audit. Another organisation's request does not exist for the reader (DoesNotExist, a 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asylon.accounts.models import Organisation, User
from asylon.accounts.permissions import require
from asylon.audit.models import AuditEntry
from asylon.audit.reads import shown
from asylon.orgsecurity.models import FactorResetRequest, FactorResetStatus

HISTORY_LENGTH = 30


def _of(organisation: Organisation) -> Any:
    return FactorResetRequest.objects.filter(organisation=organisation).select_related(
        "user", "requested_by", "decided_by"
    )


def factor_resets_pending(*, organisation: Organisation) -> list[FactorResetRequest]:
    """Requests waiting for a second admin (expired ones included until the hourly task marks them), oldest first."""
    return list(shown(_of(organisation).filter(status=FactorResetStatus.PENDING).order_by("created_at")))


def factor_resets_decided(*, organisation: Organisation, limit: int = HISTORY_LENGTH) -> list[FactorResetRequest]:
    """The latest decided, withdrawn or expired requests, newest first."""
    return list(shown(_of(organisation).exclude(status=FactorResetStatus.PENDING).order_by("-created_at")[:limit]))


def factor_reset_of(*, organisation: Organisation, reset_id: Any) -> FactorResetRequest:
    """One request of the organisation (FactorResetRequest.DoesNotExist otherwise)."""
    return shown(_of(organisation).get(pk=reset_id))  # type: ignore[no-any-return]


def factor_reset_pending_for(*, organisation: Organisation, user: Any) -> FactorResetRequest | None:
    """The request waiting for a decision about this account, if any."""
    return _of(organisation).filter(user_id=user.pk, status=FactorResetStatus.PENDING).first()  # type: ignore[no-any-return]


EMERGENCY_ACTIONS = ("user.revoke_all", "user.device_seized")


@dataclass(frozen=True)
class EmergencyAction:
    """One revocation or seized-device response as the security page lists it (from the audit log)."""

    entry: AuditEntry
    account: Any  # the User acted on (kept, disabled or not), or None if it no longer exists
    actor: Any

    @property
    def seized(self) -> bool:
        return self.entry.action == "user.device_seized"


def emergency_actions_of(
    *, user: Any, organisation: Organisation, limit: int = HISTORY_LENGTH
) -> list[EmergencyAction]:
    """The organisation's latest revocations and seized-device responses, newest first."""
    require(user, "audit.view_auditentry", organisation)
    entries = list(
        AuditEntry.objects.filter(organisation=organisation, action__in=EMERGENCY_ACTIONS).order_by("-sequence")[:limit]
    )
    ids = {entry.target_id for entry in entries} | {str(entry.actor_id) for entry in entries if entry.actor_id}
    users = {str(found.pk): found for found in User.objects.filter(pk__in=ids)}
    return [
        EmergencyAction(entry=entry, account=users.get(entry.target_id), actor=users.get(str(entry.actor_id)))
        for entry in entries
    ]
