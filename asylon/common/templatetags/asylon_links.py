"""Links to pages another part of the application may not provide yet (the URL contract is shared)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def person_url(person_id: Any) -> str:
    """The person page's address, or "" when there is no id (redacted) or no such route yet."""
    if not person_id:
        return ""
    try:
        return reverse("people:person_detail", args=[person_id])
    except NoReverseMatch:
        return ""
