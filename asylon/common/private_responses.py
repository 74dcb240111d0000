"""Pages for signed-in staff stay out of every cache, and signing out wipes what the browser kept.

A shared or seized laptop keeps a browser cache; a proxy may keep one too. Every response to a
signed-in user is `Cache-Control: private, no-store`, so no page with a name on it is written to
disk by the browser or kept by an intermediary. The response that ends a session (sign out, sign
out everywhere, a timeout) carries `Clear-Site-Data`, so the browser drops its cache, cookies and
storage for the site. Static files never reach this middleware (whitenoise answers first).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


class PrivateResponseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        was_signed_in = bool(user is not None and user.is_authenticated)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if was_signed_in or signed_in:
            patch_cache_control(response, private=True, no_store=True)
        if was_signed_in and not signed_in:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
