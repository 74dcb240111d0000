"""Per-request audit context: the client address for every entry, and one `read` entry at the end."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from asylon.audit import context
from asylon.audit.remote import client_address
from asylon.audit.services import record


class AuditMiddleware:
    """Sets the request's audit context and writes what was shown as one entry per organisation."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.begin(client_address(request), request)
        try:
            response = self.get_response(request)
            request_audit = context.current()
            if request_audit is not None and request_audit.shown:
                reads_record(request=request, shown=request_audit.shown)
        finally:
            context.end(token)
        return response


def reads_record(*, request: HttpRequest, shown: dict[str, dict[str, str | None]]) -> None:
    """Write the ids shown during a request: one `read` entry per organisation, ids grouped by model."""
    by_organisation: dict[str | None, dict[str, list[str]]] = {}
    for label, ids in sorted(shown.items()):
        for record_id, organisation_id in ids.items():
            by_organisation.setdefault(organisation_id, {}).setdefault(label, []).append(record_id)
    user = getattr(request, "user", None)
    for organisation_id, details in by_organisation.items():
        record(
            actor=user if getattr(user, "is_authenticated", False) else None,
            action="read",
            organisation=organisation_id,
            details=details,
        )
