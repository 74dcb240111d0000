"""django-axes glue: lockout keys are keyed pseudonyms, so the attempts table holds no address.

Axes records every failed sign-in with the login typed and the client's IP address. We hand it a
keyed HMAC (the blind-index PRF, its own purpose) of the normalised login and of the address
instead, so the database, a backup or a log line names neither a caseworker's email address nor
where anybody connected from. The address pseudonym is shaped as an IPv6 address in the unique
local range fd00::/8 because axes stores it in an IP address column (PostgreSQL `inet`).
"""

from __future__ import annotations

import ipaddress
from http import HTTPStatus
from typing import Any

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from asylon.common.crypto.keyring import keyring

LOGIN_PURPOSE = "axes.login"
CLIENT_PURPOSE = "axes.client"
UNIQUE_LOCAL_PREFIX = b"\xfd"


def login_pseudonym_of(login: str) -> str:
    """The keyed pseudonym of a login (email address) as axes stores it."""
    return keyring().blind_index(LOGIN_PURPOSE, login.strip().lower()).hex()


def login_pseudonym(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: allauth passes the login as `email`; its form posts it as `login`."""
    credentials = credentials or {}
    login = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not login and request is not None:
        login = request.POST.get("login")
    return login_pseudonym_of(str(login)) if login else None


def client_pseudonym(request: HttpRequest) -> str:
    """AXES_CLIENT_IP_CALLABLE: a keyed pseudonym of the client address, formatted as an fd00::/8 address."""
    try:
        address = get_adapter().get_client_ip(request)  # honours ALLAUTH_TRUSTED_PROXY_COUNT
    except PermissionDenied:
        address = "unknown"
    digest = keyring().blind_index(CLIENT_PURPOSE, address)
    return str(ipaddress.IPv6Address(UNIQUE_LOCAL_PREFIX + digest[1:]))


def lockout_clear(*, login: str) -> None:
    """Lift a lockout on a login before its cool-off ends (an operator, after checking with the user)."""
    from axes.utils import reset

    reset(username=login_pseudonym_of(login))


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a translated page that says what happened and what to do (status 429)."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_timedelta": cool_off,
        "cooloff_minutes": max(1, round(cool_off.total_seconds() / 60)) if cool_off else None,
    }
    return render(request, "accounts/lockout.html", context, status=HTTPStatus.TOO_MANY_REQUESTS)
