"""HTML to PDF with WeasyPrint, fetching nothing but the app's own static files.

A PDF is rendered from a Django template on the server. WeasyPrint would otherwise fetch
whatever the HTML names: `file:///etc/passwd` as an image, an `http://` URL (a request from
the server to anywhere), a `data:` URL. `StaticOnlyFetcher` serves only files under STATIC_URL,
found through the staticfiles finders, of a few content types, and refuses everything else;
refusals are logged by WeasyPrint and the resource is left out. Fonts come from fontconfig by
family name (print.css), never from a URL.
"""

from __future__ import annotations

import mimetypes
import posixpath
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string

# The base URL of the rendered HTML: never resolved (.invalid is reserved), only matched below.
BASE_URL = "https://asylon.invalid/"
ALLOWED_TYPES = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}


class RefusedResource(ValueError):
    """A URL the PDF renderer will not fetch."""


def static_path(url: str) -> str:
    """The static file a URL names under BASE_URL + STATIC_URL (RefusedResource for anything else)."""
    prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
    if not url.startswith(prefix):
        raise RefusedResource("only the app's static files are fetched")
    relative = url[len(prefix) :].split("?", 1)[0].split("#", 1)[0]
    normalised = posixpath.normpath(relative)
    if normalised != relative or normalised.startswith(("/", "..")) or "\\" in relative or "%" in relative:
        raise RefusedResource("not a plain static path")
    if posixpath.splitext(normalised)[1].lower() not in ALLOWED_TYPES:
        raise RefusedResource("not an allowed static file type")
    found = finders.find(normalised)
    if not found or isinstance(found, list):
        raise RefusedResource("no such static file")
    return str(found)


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Serves the app's static files (css, png, svg) and refuses every other URL."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = static_path(url)
            extension = posixpath.splitext(path)[1].lower()
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = ALLOWED_TYPES.get(extension) or mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher


def static_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher for the app's static files only (fail_on_errors off: a refusal omits)."""
    return _fetcher_class()(allowed_protocols=("https",), allow_redirects=False, timeout=1)


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """Render a template to PDF bytes; its stylesheets and images may come only from static files."""
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    return bytes(HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_fetcher()).write_pdf())
