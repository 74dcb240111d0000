"""Token scopes: a read token may only use safe methods (and the searches posted so that their text stays
out of the URL, views marked `posted_read`); a write token may also write. What the token's
user may read or change is decided by the services and selectors, exactly as for the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from asylon.accounts.models import ApiToken, ApiTokenScope


class TokenScope(BasePermission):
    """Refuses requests without a token (401) and unsafe methods with a read token (403), but posted reads."""

    message = _("This token may only read: create a token with write scope to change records.")

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False  # DRF answers 401 with WWW-Authenticate, since an authenticator exists
        return (
            request.method in SAFE_METHODS
            or token.scope == ApiTokenScope.WRITE
            or getattr(view, "posted_read", False)
        )
