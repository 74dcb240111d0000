"""API tokens (docs/api.md): created for one organisation with a scope and an expiry, shown once,
stored only as the SHA-256 digest of the secret, revoked by their holder or an organisation admin.

A token acts for its user in its organisation only, with the user's role there (read scope: safe
methods only). The secret is `asy_` followed by 43 URL-safe characters (32 random bytes); a
digest, not a password hash, is enough because the secret has 256 bits of entropy, and it lets
every request find its token with one indexed lookup.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from asylon.accounts.models import ApiToken, ApiTokenScope, Organisation
from asylon.accounts.permissions import CASE_WRITERS, require, role_in
from asylon.audit import services as audit

# A public prefix that marks a string as an Asylon token (secret scanners can find leaked ones), not a secret.
TOKEN_PREFIX = "asy_"  # noqa: S105  # nosec B105
SECRET_BYTES = 32
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365
LABEL_MAX_LENGTH = 100


def token_digest(secret: str) -> str:
    """The stored form of a token: SHA-256 of the whole secret, hex."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its secret, which exists only here: it is shown once and never stored."""

    token: ApiToken
    secret: str


def default_expiry() -> datetime.date:
    """The expiry offered by default: DEFAULT_LIFETIME_DAYS from today."""
    return timezone.localdate() + datetime.timedelta(days=DEFAULT_LIFETIME_DAYS)


def _expiry_checked(expires_on: datetime.date) -> datetime.datetime:
    """End of the chosen day (server time zone): after today, at most a year away."""
    today = timezone.localdate()
    if expires_on <= today:
        raise ValidationError({"expires_on": _("The expiry must be after today.")})
    if expires_on > today + datetime.timedelta(days=MAX_LIFETIME_DAYS):
        raise ValidationError({"expires_on": _("A token may be valid for one year at most.")})
    end_of_day = datetime.datetime.combine(expires_on, datetime.time.max)
    return timezone.make_aware(end_of_day)


@transaction.atomic
def api_token_create(
    *,
    actor: Any,
    organisation: Organisation,
    label: str,
    scope: str = ApiTokenScope.READ,
    expires_on: datetime.date | None = None,
) -> IssuedToken:
    """Issue a token for the actor in one organisation (expiring in 90 days unless another day is chosen);
    the secret is returned here and nowhere else."""
    require(actor, "accounts.add_apitoken", organisation)
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": _("Give the token a label, for example the system that will use it.")})
    if len(label) > LABEL_MAX_LENGTH:
        raise ValidationError({"label": _("Keep the label under %(max)d characters.") % {"max": LABEL_MAX_LENGTH}})
    if scope not in ApiTokenScope.values:
        raise ValidationError({"scope": _("Choose read or read and write.")})
    if scope == ApiTokenScope.WRITE and role_in(actor, organisation) not in CASE_WRITERS:
        raise ValidationError({"scope": _("Your role may only read: choose a read token.")})
    expires_at = _expiry_checked(expires_on or default_expiry())
    secret = TOKEN_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(
        organisation=organisation,
        user=actor,
        label=label,
        digest=token_digest(secret),
        scope=scope,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    audit.record(
        actor=actor,
        action="api_token.create",
        target=token,
        details={"scope": scope, "expires_at": expires_at.isoformat()},
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke a token at once: its holder or an admin of its organisation may. Revoking twice changes nothing."""
    is_holder = token.user_id == actor.pk and role_in(actor, token.organisation) is not None
    if not is_holder:
        try:
            require(actor, "accounts.manage_organisation", token.organisation)
        except PermissionDenied:
            raise PermissionDenied("accounts.revoke_apitoken") from None
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="api_token.revoke", target=token)
    return token


def api_tokens_of(*, user: Any) -> QuerySet[ApiToken]:
    """The user's own tokens in organisations where they still hold a role, newest first."""
    return (
        ApiToken.objects.filter(user=user, organisation__memberships__user=user)
        .select_related("organisation")
        .order_by("-created_at")
    )


def api_token_of(*, user: Any, token_id: Any) -> ApiToken:
    """One of the user's own tokens (ApiToken.DoesNotExist otherwise)."""
    return api_tokens_of(user=user).get(pk=token_id)
