"""{% may_view_statistics as flag %}: whether the main navigation offers the statistics pages."""

from __future__ import annotations

from typing import Any

from django import template

from asylon.reports.selectors.reports import organisations_for

register = template.Library()


@register.simple_tag(takes_context=True)
def may_view_statistics(context: template.Context) -> bool:
    """True when the signed-in user may read the statistics of at least one organisation."""
    user: Any = context.get("user")
    return bool(user is not None and user.is_authenticated and organisations_for(user))
