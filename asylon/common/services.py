"""Checks shared by the services of several apps."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def reject_unknown_fields(given: Iterable[str], allowed: frozenset[str]) -> None:
    """Refuse keyword arguments a service does not accept, naming each one as a field error."""
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise ValidationError({name: _("This field does not exist or cannot be set here.") for name in unknown})
