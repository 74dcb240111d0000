"""Where the people pages send the user back to."""

from __future__ import annotations

from typing import Any

from django.urls import reverse


def person_url(person_id: Any, section: str = "") -> str:
    """The person's page, at one of its sections (`#relatives`, `#service`, ...) when given."""
    url = reverse("people:person_detail", args=[person_id])
    return f"{url}#{section}" if section else url
