"""Logins, failed logins and logouts in the audit log; never a password, never an unknown address in clear.

A failed login names the account when the attempted email belongs to one; otherwise only a keyed
digest of the attempted email is kept (HMAC under the secret key), enough to see repeated
attempts at one address without revealing it to whoever reads the log.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.signals import authentication_failed
from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.crypto import salted_hmac

from asylon.audit.services import record

ATTEMPT_DIGEST_SALT = "asylon.audit.failed-login"


def attempted_email_digest(email: str) -> str:
    return salted_hmac(ATTEMPT_DIGEST_SALT, email.strip().lower(), algorithm="sha256").hexdigest()[:32]


@receiver(user_logged_in, dispatch_uid="asylon.audit.login")
def login_recorded(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(actor=user, action="login", target=user)


@receiver(user_logged_out, dispatch_uid="asylon.audit.logout")
def logout_recorded(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and getattr(user, "pk", None):
        record(actor=user, action="logout", target=user)


@receiver(user_login_failed, dispatch_uid="asylon.audit.login_failed")
def login_failure_recorded(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    attempted = str(credentials.get("email") or credentials.get("username") or "")
    user_model = get_user_model()
    user = user_model._default_manager.filter(email__iexact=attempted.strip()).first() if attempted else None
    if user is not None:
        record(actor=None, action="login.failed", target=user)
    else:
        details = {"attempted_email_digest": attempted_email_digest(attempted)} if attempted else {}
        record(actor=None, action="login.failed", details=details)


@receiver(authentication_failed, dispatch_uid="asylon.audit.second_factor_failed")
def second_factor_failure_recorded(sender: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    """A wrong code at the second step of a sign-in, or of a re-authentication."""
    record(
        actor=None,
        action="login.failed",
        target=user,
        details={
            "step": "second_factor",
            "type": str(authenticator.type),
            "reauthentication": bool(kwargs.get("reauthentication")),
        },
    )
