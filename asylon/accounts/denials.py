"""Denied requests go to the audit log: a staff member probing for what they may not open shows.

A view (or the service it calls) refuses with `PermissionDenied`; by the time the exception reaches
this middleware the service's transaction has rolled back, so the entry is written on its own.
Only signed-in users are recorded: anonymous visitors are sent to the login page before any
permission is checked, and recording them would let anyone fill the log. Records that are hidden
(`DoesNotExist`, answered 404 so that their existence is not revealed) are not recorded here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from asylon.accounts.models import Organisation
from asylon.audit import services as audit

ACTION = "access.denied"
PERMISSION_NAME = re.compile(r"^[a-z_]+\.[a-z_]+$")


class DeniedAccessAuditMiddleware:
    """Appends an `access.denied` entry (route, method, permission name; ids only) for each refusal."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        user = getattr(request, "user", None)
        if not isinstance(exception, PermissionDenied) or user is None or not user.is_authenticated:
            return None
        match = getattr(request, "resolver_match", None)
        details = {"route": match.view_name if match else "", "method": request.method or ""}
        message = str(exception)
        if PERMISSION_NAME.match(message):  # `require` names the permission; other messages may be prose
            details["permission"] = message
        # The organisation whose auditors should see it: the user's own, when they have exactly one.
        organisations = list(Organisation.objects.filter(memberships__user=user)[:2])
        audit.record(
            actor=user,
            action=ACTION,
            organisation=organisations[0] if len(organisations) == 1 else None,
            details=details,
        )
        return None  # Django answers 403 as usual
