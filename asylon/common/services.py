"""Checks shared by the services of several apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


def reject_unknown_fields(given: Iterable[str], allowed: frozenset[str]) -> None:
    """Refuse keyword arguments a service does not accept, naming each one as a field error."""
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise ValidationError({name: _("This field does not exist or cannot be set here.") for name in unknown})


def assign(record: models.Model, name: str, value: Any) -> bool:
    """Set a field of a record; return whether its stored value changes (a foreign key is compared by
    its id, so an unsaved record needs no lookup)."""
    field = record._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        stored, given = getattr(record, field.attname), (value.pk if value is not None else None)
    else:
        stored, given = getattr(record, name), value
    setattr(record, name, value)
    return bool(stored != given)
