"""{% may_anywhere "app.permission" as flag %}: whether the navigation offers an organisation-wide page."""

from __future__ import annotations

from django import template

from asylon.accounts.selectors import organisations_for

register = template.Library()


@register.simple_tag(takes_context=True)
def may_anywhere(context: template.Context, permission: str) -> bool:
    """True when the signed-in user holds the permission in at least one of their organisations."""
    return bool(organisations_for(context.get("user"), permission))
