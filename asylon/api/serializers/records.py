"""Shaping records for the API: only the fields the token user's clearance reaches are present.

`RecordSerializer` asks the clearance module which fields of the record the user may receive
(`visible_fields`) and leaves every other field out of the response: not null, absent, so a client
never mistakes a withheld value for an empty one. Vocabulary terms are given as their codes,
other related records as their ids. Serializers only shape; the selectors decided what is shown.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers

from asylon.accounts.clearance import visible_fields
from asylon.vocab.models import Term


def _value(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if field.many_to_many:
        related = getattr(obj, name).all()  # prefetched by the selector
        return [item.code if isinstance(item, Term) else item.pk for item in related]
    if field.is_relation:
        if field.related_model is Term:
            term = getattr(obj, name)
            return term.code if term is not None else None
        return getattr(obj, field.attname)  # type: ignore[union-attr]
    return getattr(obj, name)


class RecordSerializer(serializers.Serializer):
    """Output of a personal-data record: fields above the user's clearance are omitted, so the schema
    marks every field but the id as optional."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name, field in fields.items():
            field.required = name == "id"
        return fields

    def to_representation(self, instance: models.Model) -> dict[str, Any]:
        user = self.context["request"].user
        shown = set(visible_fields(user, instance))
        data: dict[str, Any] = {}
        for field in self._readable_fields:
            name = field.source
            if name not in shown:
                continue
            value = _value(instance, name)
            data[field.field_name] = None if value is None else field.to_representation(value)
        return data
