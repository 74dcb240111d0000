"""{% may_import as flag %}: whether the main navigation offers the import pages."""

from __future__ import annotations

from typing import Any

from django import template

from asylon.reports.selectors.reports import organisations_for

register = template.Library()


@register.simple_tag(takes_context=True)
def may_import(context: template.Context) -> bool:
    """True when the signed-in user may import into at least one organisation."""
    user: Any = context.get("user")
    return bool(user is not None and user.is_authenticated and organisations_for(user, "ops.import_records"))
