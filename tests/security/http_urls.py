"""URLs for the HTTP tests: the application's own, plus views that fail on purpose or use the CSP nonce."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template import Context, Template
from django.urls import path

from asylon.config.urls import urlpatterns as application_urlpatterns

EXCEPTION_TEXT = "secret detail /srv/asylon/var/keys/field.keyset.json Кавалёнак"
NONCE_PAGE = Template('<!doctype html><script src="/static/x.js" nonce="{{ nonce }}"></script>')


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(EXCEPTION_TEXT)


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(EXCEPTION_TEXT)


def with_nonce(request: HttpRequest) -> HttpResponse:
    return HttpResponse(NONCE_PAGE.render(Context({"nonce": request.csp_nonce})))  # type: ignore[attr-defined]


urlpatterns = [
    path("test-forbidden/", forbidden),
    path("test-crash/", crash),
    path("test-nonce/", with_nonce),
    *application_urlpatterns,
]
