"""The read audit: selectors report the personal-data records they return for display.

`shown(x)` accepts a model instance, a list of them or a queryset. Instances and lists are
noted at once; a queryset is marked so that only the rows actually fetched from it are noted
(a page of a list, not the whole list: counting or using it as a subquery notes nothing).
`AuditMiddleware` writes one `read` entry per request and organisation, listing the ids by model.
Outside a request (shell, commands, tasks) nothing is collected.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.db import models
from django.db.models.query import ModelIterable

from asylon.audit import context

Shown = TypeVar("Shown")


def note(objects: Iterable[models.Model]) -> None:
    """Add records to the current request's read list (no-op outside requests)."""
    request_audit = context.current()
    if request_audit is None:
        return
    for obj in objects:
        ids = request_audit.shown.setdefault(obj._meta.label_lower, {})
        organisation_id = getattr(obj, "organisation_id", None)
        ids[str(obj.pk)] = str(organisation_id) if organisation_id is not None else None


class RecordingModelIterable(ModelIterable):
    """Yields model instances like Django's, noting each as shown."""

    def __iter__(self) -> Iterator[Any]:
        for obj in super().__iter__():
            note((obj,))
            yield obj


def shown(value: Shown) -> Shown:
    """Note `value` (instance, iterable of instances, or queryset) as shown to the user; return it unchanged."""
    if isinstance(value, models.QuerySet):
        if value._iterable_class is not ModelIterable:
            return value
        recording = value.all()
        recording._iterable_class = RecordingModelIterable
        return recording  # type: ignore[return-value]
    if isinstance(value, models.Model):
        note((value,))
        return value
    note(value)  # type: ignore[arg-type]
    return value
