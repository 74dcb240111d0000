"""Rate limits per token (keyed on the token's id, not the user: two tokens are two clients) and a
harsher one for requests without a valid token. Rates: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from asylon.accounts.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class AnonymousRateThrottle(SimpleRateThrottle):
    """Requests without a valid token, per client address."""

    scope = "anonymous"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
