"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language_info


def instance(request: HttpRequest) -> dict:
    """Whether this instance runs in demonstration mode (templates show a warning banner)."""
    return {"asylon_demo": settings.ASYLON_DEMO}


def language_links(request: HttpRequest) -> dict:
    """This page in each interface language: the switch changes the URL prefix, not a cookie."""
    path = request.get_full_path()
    return {
        "language_links": [
            (code, get_language_info(code)["name_local"], translate_url(path, code))
            for code, _name in settings.LANGUAGES
        ]
    }
