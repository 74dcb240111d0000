"""{% untriaged_count as n %}: how many intake submissions wait for the signed-in user's triage (a count only)."""

from __future__ import annotations

from typing import Any

from django import template

from asylon.intake.selectors import untriaged_count as count_untriaged

register = template.Library()


@register.simple_tag(takes_context=True)
def untriaged_count(context: template.Context) -> int:
    """Untriaged submissions of the organisations where the user may triage; 0 for anyone else."""
    user: Any = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return count_untriaged(user)
