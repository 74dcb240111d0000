"""Template helpers for the work on cases: deadline kind names, and whether the viewer may change a
case's tasks and deadlines (the case page shows its Add/Complete/Met controls only then)."""

from __future__ import annotations

from typing import Any

import rules
from django import template
from django.utils.functional import Promise

from asylon.cases.selectors import cases_visible_to
from asylon.cases.services.work import deadline_kind_label

register = template.Library()
CACHE_ATTRIBUTE = "_asylon_work_permissions"


@register.filter
def deadline_kind(kind: Any) -> str | Promise:
    """The translated name of a deadline kind code."""
    return deadline_kind_label(str(kind)) if kind else ""


@register.simple_tag(takes_context=True)
def work_permissions(context: template.Context, case_id: Any) -> dict[str, bool]:
    """{"task": ..., "deadline": ...}: may the signed-in user change this case's tasks and deadlines?"""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None:
        return {"task": False, "deadline": False}
    cache = request.__dict__.setdefault(CACHE_ATTRIBUTE, {})
    key = str(case_id)
    if key not in cache:
        case = cases_visible_to(user).filter(pk=case_id).first()
        cache[key] = {
            "task": case is not None and rules.has_perm("cases.change_task", user, case),
            "deadline": case is not None and rules.has_perm("cases.change_deadline", user, case),
        }
    return dict(cache[key])
