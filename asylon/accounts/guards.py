"""Re-authentication for sensitive actions: key operations, exports, checkpoint downloads, erasure.

Apply `sensitive` to a function view or `SensitiveActionMixin` to a class-based view. A user who has
not signed in (password, passkey or authenticator code) within ACCOUNT_REAUTHENTICATION_TIMEOUT
seconds is sent to allauth's re-authentication page and comes back to the action afterwards. With
second factors enrolled, allauth re-authenticates with the second factor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.decorators import reauthentication_required
from allauth.core.exceptions import ReauthenticationRequired
from django.http import HttpRequest, HttpResponse, HttpResponseBase

ViewFunc = Callable[..., HttpResponseBase]


def sensitive(view_func: ViewFunc | None = None, *, allow_get: bool = False) -> Any:
    """Decorator: require a recent re-authentication (GET too, unless allow_get) before the view runs."""
    return reauthentication_required(view_func, allow_get=allow_get)


def still_reauthenticated(request: HttpRequest) -> bool:
    """Whether `sensitive` lets this request through, asked without letting allauth suspend the POST.

    A view that takes a secret in its POST (a passphrase) asks this first and sends a lapsed POST back to
    its page: allauth would otherwise keep the suspended POST in the session to replay it.
    """
    try:
        sensitive(lambda request: HttpResponse())(request)
    except ReauthenticationRequired:
        return False
    return True


class SensitiveActionMixin:
    """Class-based views: every method needs a recent re-authentication (set allow_get for read-only GETs)."""

    allow_get = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        parent = super().dispatch  # type: ignore[misc]
        return sensitive(parent, allow_get=self.allow_get)(request, *args, **kwargs)
