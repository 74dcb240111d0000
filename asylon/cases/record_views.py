"""Redacted views of many records of one case at once, for the pages that list them.

Every record of one case belongs to the case's organisation, so the viewer's clearance is computed
once per case and applied to each record (`redacted` would ask once per record, and read
many-to-many fields with a query each). What a view holds is exactly what `redacted` would give,
plus labels derived from fields the viewer may see (a derived value of a hidden field is hidden too).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

from asylon.accounts.clearance import Level, Redacted, clearance_of, field_level
from asylon.cases.models import Case
from asylon.common.models import DatePrecision

PERSON_NAME_FIELDS = ("id", "given_name", "family_name")

Derived = dict[str, tuple[str, Callable[[Any], Any]]]


def _concrete_names(model: type[models.Model]) -> list[str]:
    """The fields a view may hold: stored columns and many-to-many fields."""
    return [f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many]


def record_views(
    objects: Iterable[Any],
    *,
    clearance: Level,
    derived: Derived | None = None,
    withheld: Callable[[Any], set[str]] | None = None,
    fields: Iterable[str] | None = None,
) -> list[Redacted]:
    """Redacted views of records of one organisation for a viewer of `clearance`.

    `fields` limits the view to the fields a page shows (the others are neither read nor decrypted).
    """
    views = []
    wanted = set(fields) if fields is not None else None
    for obj in objects:
        model = type(obj)
        names = [name for name in _concrete_names(model) if wanted is None or name in wanted]
        held = withheld(obj) if withheld else set()
        shown = {name for name in names if name not in held and field_level(model, name) <= clearance}
        values: dict[str, Any] = {}
        for model_field in model._meta.get_fields():
            if model_field.name not in shown:
                continue
            if model_field.many_to_many:
                values[model_field.name] = [related.pk for related in getattr(obj, model_field.name).all()]
            elif model_field.is_relation:
                values[model_field.name] = getattr(obj, model_field.attname)  # type: ignore[union-attr]
            else:
                values[model_field.name] = getattr(obj, model_field.name)
        hidden = set(names) - shown
        for name, (source, compute) in (derived or {}).items():
            if field_level(model, source) <= clearance and source not in held:
                values[name] = compute(obj)
            else:
                hidden.add(name)
        views.append(Redacted(values, frozenset(hidden), model._meta.label_lower, obj.pk))
    return views


def case_clearance(user: Any, case: Case) -> Level:
    """The viewer's clearance in the case's organisation (PermissionDenied without a role there)."""
    level = clearance_of(user, case)
    if level is None:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("no role in the case's organisation")
    return level


def user_name(user: Any) -> str:
    """A staff account as the pages name it: its display name, else its email."""
    return (user.display_name or user.email) if user is not None else ""


def term_label(term: Any) -> str:
    """A vocabulary term's label in the active language, or nothing for no term."""
    return term.label() if term is not None else ""


def coarse_date(year: int | None, month: int | None) -> tuple[datetime.date | None, str]:
    """A date known only by its clear year (and month), with the precision that says so."""
    if not year:
        return None, DatePrecision.YEAR
    if month:
        return datetime.date(year, month, 1), DatePrecision.MONTH
    return datetime.date(year, 1, 1), DatePrecision.YEAR
