"""What the audit log knows about the current request: the client address and the records shown.

Set by `asylon.audit.middleware.AuditMiddleware` for each request; empty in shells, commands and
background tasks.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RequestAudit:
    """The request's client address (None when it must not be recorded) and the ids shown to the user."""

    remote_address: str | None = None
    request: Any = None
    shown: dict[str, dict[str, str | None]] = field(default_factory=dict)  # label -> {id: organisation id}


_current: ContextVar[RequestAudit | None] = ContextVar("asylon_request_audit", default=None)


def begin(remote_address: str | None, request: Any = None) -> Token[RequestAudit | None]:
    return _current.set(RequestAudit(remote_address=remote_address, request=request))


def end(token: Token[RequestAudit | None]) -> None:
    _current.reset(token)


def current() -> RequestAudit | None:
    return _current.get()


def remote_address() -> str | None:
    """The current request's client address, or None outside requests."""
    request_audit = _current.get()
    return request_audit.remote_address if request_audit else None


def actor() -> Any:
    """The signed-in user of the current request, or None."""
    request_audit = _current.get()
    user = getattr(request_audit.request, "user", None) if request_audit else None
    return user if getattr(user, "is_authenticated", False) else None
