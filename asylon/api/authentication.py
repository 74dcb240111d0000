"""Bearer-token authentication for /api/v1/ (docs/api.md): no sessions, no basic auth, so no CSRF surface.

The token is found by the SHA-256 digest of the secret. It acts for its user in its organisation
only: the user's cached roles are narrowed to that organisation, so every permission check
(`require`, clearance) sees no role anywhere else, and the API's selectors filter by it too.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from asylon.accounts.models import ApiToken
from asylon.accounts.permissions import ROLE_CACHE, forget_roles, role_in
from asylon.accounts.tokens import TOKEN_PREFIX, token_digest

KEYWORD = "Bearer"
REALM = "asylon-api"
# last_used_at is written at most once a minute, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
# Longer headers are refused before hashing: a token is the prefix and 43 characters.
MAX_SECRET_LENGTH = 200


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer asy_...`; expired, revoked or unknown tokens are refused with 401."""

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        keyword, _space, secret = header.strip().partition(" ")
        secret = secret.strip()
        if keyword.lower() != KEYWORD.lower() or not secret.startswith(TOKEN_PREFIX):
            raise exceptions.AuthenticationFailed(_("Send the token as: Authorization: Bearer asy_..."))
        if len(secret) > MAX_SECRET_LENGTH:
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        token = ApiToken.objects.select_related("user", "organisation").filter(digest=token_digest(secret)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("The token was revoked."))
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("The token has expired."))
        user = token.user
        forget_roles(user)
        role = role_in(user, token.organisation)
        if role is None:  # an inactive account, or no longer a member of the token's organisation
            raise exceptions.AuthenticationFailed(_("The token's account may no longer use this organisation."))
        user.__dict__[ROLE_CACHE] = {token.organisation_id: role}
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{KEYWORD} realm="{REALM}"'
