"""Reads of the console's security pages: the organisation's second-factor reset requests.

Requests name staff accounts (the rows show their email addresses), so the rows shown are noted for
the read audit. Another organisation's request does not exist for the reader (DoesNotExist, a 404).
"""

from __future__ import annotations

from typing import Any

from asylon.accounts.models import Organisation
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
