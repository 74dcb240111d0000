"""Template helpers for the work on cases: the names of deadline kinds."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.functional import Promise

from asylon.cases.services.work import deadline_kind_label

register = template.Library()


@register.filter
def deadline_kind(kind: Any) -> str | Promise:
    """The translated name of a deadline kind code."""
    return deadline_kind_label(str(kind)) if kind else ""
