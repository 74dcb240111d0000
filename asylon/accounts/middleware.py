"""Login gates, in request order: session timeouts, the one-time password, and the second factor.

- `SessionTimeoutMiddleware` signs out a session idle for longer than ASYLON_SESSION_IDLE_MINUTES or
  older than ASYLON_SESSION_MAX_HOURS.
- `OneTimePasswordMiddleware` sends a user holding a one-time password to the password change page.
- `MFAEnrolmentMiddleware` keeps a user on the enrolment pages until they hold a second factor their
  organisation's policy allows, and signs out a session that was opened without a second factor.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from asylon.accounts.mfa import RECOVERY_CODES, TOTP, has_allowed_authenticator, mfa_methods_allowed

ALLOWED_PREFIXES = ("/static/", "/healthz")

SIGNED_IN_AT_KEY = "asylon_signed_in_at"
LAST_SEEN_KEY = "asylon_last_seen"
# The last-seen time is written at most once a minute, not on every request.
LAST_SEEN_RESOLUTION_SECONDS = 60

# What a user without a second factor may still open: signing out, the password change that comes
# first, re-authentication (allauth asks for it before adding a factor) and the passkey pages.
ENROLMENT_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_change_password",
        "account_reauthenticate",
        "mfa_index",
        "mfa_reauthenticate",
        "mfa_add_webauthn",
        "mfa_reauthenticate_webauthn",
        "mfa_list_webauthn",
        "set_language",
    }
)
TOTP_ENROLMENT_URL_NAME = "mfa_activate_totp"
ALWAYS_OPEN_URL_NAMES = frozenset({"account_logout"})


def url_name_of(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


class SessionTimeoutMiddleware:
    """Signs out a session after an idle period and after an absolute lifetime, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(ALLOWED_PREFIXES):
            now = time.time()
            session = request.session
            signed_in_at = session.setdefault(SIGNED_IN_AT_KEY, now)
            last_seen = session.get(LAST_SEEN_KEY, now)
            idle_limit = settings.ASYLON_SESSION_IDLE_MINUTES * 60
            max_age = settings.ASYLON_SESSION_MAX_HOURS * 3600
            if now - last_seen > idle_limit or now - signed_in_at > max_age:
                logout(request)
                messages.info(request, _("You were signed out because the session expired. Please sign in again."))
                return redirect_to_login(request.get_full_path())
            if LAST_SEEN_KEY not in session or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class OneTimePasswordMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = (reverse("account_change_password"), reverse("account_logout"))
            if not request.path.startswith(ALLOWED_PREFIXES) and request.path not in allowed:
                return redirect("account_change_password")
        return self.get_response(request)


def session_second_factor_types(request: HttpRequest) -> set[str]:
    """The authenticator types that completed a second factor in this session (allauth's records)."""
    return {
        str(record.get("type"))
        for record in get_authentication_records(request, request.user)
        if record.get("method") == "mfa"
    }


class MFAEnrolmentMiddleware:
    """No page but enrolment until the user holds an allowed second factor; no session without one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(ALLOWED_PREFIXES):
            return self.get_response(request)
        if user.must_change_password:
            return self.get_response(request)  # OneTimePasswordMiddleware comes first
        url_name = url_name_of(request)
        if url_name in ALWAYS_OPEN_URL_NAMES:
            return self.get_response(request)
        allowed = mfa_methods_allowed(user)
        if not has_allowed_authenticator(user, allowed):
            return self.enrolment(request, url_name, allowed)
        if url_name == TOTP_ENROLMENT_URL_NAME and TOTP not in allowed:
            messages.error(request, _("Your organisation's policy requires a passkey for your role."))
            return redirect("mfa_index")
        if not session_second_factor_types(request) & (allowed | {RECOVERY_CODES}):
            return self.sign_out(request)
        return self.get_response(request)

    def enrolment(self, request: HttpRequest, url_name: str | None, allowed: frozenset[str]) -> HttpResponse:
        enrolment_names = ENROLMENT_URL_NAMES | ({TOTP_ENROLMENT_URL_NAME} if TOTP in allowed else frozenset())
        if url_name in enrolment_names:
            return self.get_response(request)
        if TOTP in allowed:
            messages.info(request, _("Before you continue, add a second factor: a passkey or an authenticator app."))
            return redirect("mfa_index")
        messages.info(request, _("Before you continue, add a passkey: your organisation requires one for your role."))
        return redirect("mfa_add_webauthn")

    def sign_out(self, request: HttpRequest) -> HttpResponse:
        """A session opened without an allowed second factor (a stale session, or one not made by the login)."""
        logout(request)
        messages.error(request, _("Please sign in again with your passkey or your authenticator app."))
        return redirect("account_login")
