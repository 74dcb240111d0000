"""Receivers: the one-time-password flag, the sign-in time for the session limits, second factors."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.account.signals import password_changed
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from asylon.audit import services as audit


@receiver(password_changed)
def clear_one_time_password(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])


@receiver(user_logged_in)
def start_session_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """The absolute session lifetime counts from the sign-in (SessionTimeoutMiddleware)."""
    if request is not None and hasattr(request, "session"):
        from asylon.accounts.middleware import LAST_SEEN_KEY, SIGNED_IN_AT_KEY

        now = time.time()
        request.session[SIGNED_IN_AT_KEY] = now
        request.session[LAST_SEEN_KEY] = now


@receiver(authenticator_added)
def second_factor_enrolled(sender: Any, request: Any, user: Any, authenticator: Authenticator, **kwargs: Any) -> None:
    """Enrolling proves possession of the new factor (a valid code, a signed attestation): record it as
    this session's second factor, so MFAEnrolmentMiddleware lets the session continue."""
    if request is not None and authenticator.type != Authenticator.Type.RECOVERY_CODES:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True)
    audit.record(actor=user, action="mfa.add", target=user, details={"type": authenticator.type})


@receiver(authenticator_removed)
def second_factor_removed(sender: Any, request: Any, user: Any, authenticator: Authenticator, **kwargs: Any) -> None:
    audit.record(actor=user, action="mfa.remove", target=user, details={"type": authenticator.type})
