"""{% may_export as flag %}: whether the navigation (and the case page) offers the export page."""

from __future__ import annotations

from typing import Any

from django import template

from asylon.ops.selectors_exports import export_organisations

register = template.Library()


@register.simple_tag(takes_context=True)
def may_export(context: template.Context) -> bool:
    """True when the signed-in user may export from at least one organisation, in at least one format."""
    user: Any = context.get("user")
    return bool(user is not None and user.is_authenticated and export_organisations(user))
