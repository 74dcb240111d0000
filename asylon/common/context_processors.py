"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def instance(request: HttpRequest) -> dict:
    """Whether this instance runs in demonstration mode (templates show a warning banner)."""
    return {"asylon_demo": settings.ASYLON_DEMO}
