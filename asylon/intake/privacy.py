"""What the public help pages never keep: the visitor's address, user agent, a session, or a cached codename.

People who reach /help/ may be hiding from the state that seized the server or subpoenas its operator
(DESIGN.md, threat model; docs/intake.md, "The public form"). One predicate names these pages, with or without a
language prefix, and everything that would otherwise note who asked consults it:

- the audit middleware records no address for them (`asylon.audit.remote.client_address`);
- `PublicIntakeMiddleware` (placed before the session and CSRF middleware) refuses an oversized body before it is
  read, keeps uploads in memory (no plaintext temporary file), drops any session or messages cookie a page might
  set, and marks every response `Cache-Control: no-store` with no referrer leaving the origin;
- the views never log, and the rate limits key the cache on a keyed digest of the address under a key that
  lives only in this process's memory (`asylon.intake.abuse`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control

# Default ceiling of one request's body (the form, all its files and the multipart framing).
DEFAULT_MAX_REQUEST_BYTES = 32 * 1024 * 1024
# Cookies no public page may leave behind; the CSRF cookie is the only one these pages set.
FORBIDDEN_COOKIES = ("sessionid", "messages")


@lru_cache(maxsize=8)
def _public_path(languages: tuple[str, ...]) -> re.Pattern[str]:
    prefixes = "|".join(re.escape(code) for code in sorted(languages, key=len, reverse=True))
    return re.compile(rf"^/(?:(?:{prefixes})/)?help(?:/|$)", re.IGNORECASE)


def is_public_intake_path(path: str) -> bool:
    """Whether a path is one of the public help pages (/help/..., /be/help/...)."""
    return bool(_public_path(tuple(code for code, _name in settings.LANGUAGES)).match(path or ""))


def max_request_bytes() -> int:
    """The largest request body a public page reads (ASYLON_INTAKE_MAX_REQUEST_BYTES)."""
    return int(getattr(settings, "ASYLON_INTAKE_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES))


class InMemoryUploadHandler(MemoryFileUploadHandler):
    """Keeps every uploaded file in memory, whatever its size: the body is capped before it is read, and a
    temporary file would put a person's document on disk in the clear."""

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        super().handle_raw_input(*args, **kwargs)
        self.activated = True


def _session_cookie_names() -> set[str]:
    return {settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGE_COOKIE_NAME", "messages"), *FORBIDDEN_COOKIES}


class PublicIntakeMiddleware:
    """The request and response rules of the public help pages (module docstring); other paths pass untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_public_intake_path(request.path_info):
            return self.get_response(request)
        if _declared_length(request) > max_request_bytes():
            # Before LocaleMiddleware: the page's language comes from its path prefix.
            with translation.override(translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE):
                response = render(
                    request,
                    "intake/public/too_large.html",
                    {"limit_mb": max_request_bytes() // (1024 * 1024)},
                    status=413,
                )
        else:
            request.upload_handlers = [InMemoryUploadHandler(request)]
            response = self.get_response(request)
        return public_response(response)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def public_response(response: HttpResponse) -> HttpResponse:
    """No caching anywhere, no referrer beyond the origin, and no cookie but the CSRF token."""
    patch_cache_control(response, no_store=True, private=True)
    response.headers.setdefault("Referrer-Policy", "same-origin")
    for name in _session_cookie_names():
        if name in response.cookies:
            del response.cookies[name]
    return response
