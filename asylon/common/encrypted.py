"""Encrypted model fields bound to `app_label.model.field:pk`.

The database holds only ciphertext. A value read from the database stays sealed in the instance
until the attribute is read; the descriptor then decrypts it with the row's binding, so a
ciphertext copied to another row or field fails to open. Encryption happens in `pre_save`, which
`save()` and `bulk_create()` both call. SQL-level `update()`, `bulk_update()` and `filter()` with a
plaintext value are refused: use `encrypted_update()` for writes and a blind index for lookups.
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Iterable
from typing import Any, Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext_lazy as _

from asylon.common.crypto.keyring import key_id_of, keyring

PLAINTEXT_CACHE = "_decrypted_values"


class Codec(Protocol):
    def serialize(self, value: Any) -> bytes: ...

    def deserialize(self, data: bytes) -> Any: ...


class Sealed(bytes):
    """A ciphertext as stored in the database, not yet opened."""


def binding(model: type[models.Model], field_name: str, pk: object) -> bytes:
    """The associated data that ties a ciphertext to one field of one row."""
    return f"{model._meta.label_lower}.{field_name}:{pk}".encode()


class EncryptedAttribute(DeferredAttribute):
    """Opens a sealed value on first read and keeps the plaintext beside it on the instance."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if not isinstance(value, Sealed):
            return value
        cache = instance.__dict__.setdefault(PLAINTEXT_CACHE, {})
        cached = cache.get(self.field.attname)
        if cached is not None and cached[0] is value:
            return cached[1]
        field: EncryptedField = self.field  # type: ignore[assignment]
        plaintext = field.open(instance, value)
        cache[self.field.attname] = (value, plaintext)
        return plaintext

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedField(models.BinaryField):
    """Base for encrypted fields; subclasses say how a Python value becomes bytes and back."""

    descriptor_class = EncryptedAttribute
    encrypted = True
    codec: Codec
    form_class: type[forms.Field] = forms.CharField

    def form_options(self) -> dict[str, Any]:
        return {"required": not self.blank}

    def formfield(self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any) -> Any:
        options = {**self.form_options(), **kwargs}
        return models.Field.formfield(self, form_class=form_class or self.form_class, **options)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        self.editable = True

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def seal(self, model_instance: models.Model, value: Any) -> Sealed | None:
        """Encrypt a Python value for this field of this row."""
        if value is None:
            return None
        if model_instance.pk is None:
            raise ValueError(f"{self.model._meta.label}.{self.name}: the primary key must be set before encryption")
        associated = binding(self.model, self.name, model_instance.pk)
        return Sealed(keyring().encrypt(self.codec.serialize(value), associated))

    def open(self, model_instance: models.Model, sealed: bytes) -> Any:
        """Decrypt a stored value of this field of this row; raises DecryptionError if it is not bound here."""
        associated = binding(self.model, self.name, model_instance.pk)
        return self.codec.deserialize(keyring().decrypt(bytes(sealed), associated))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        return None if value is None else Sealed(bytes(value))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None or isinstance(value, Value):
            return value
        if isinstance(value, Sealed):
            if key_id_of(value) == keyring().current_primary_key_id():
                return value
            # Loaded before a key rotation and saved after it: re-encrypt, so that no save writes
            # back a ciphertext under a key that `asylon keys rotate` is retiring.
            value = getattr(model_instance, self.attname)
        sealed = self.seal(model_instance, value)
        model_instance.__dict__[self.attname] = sealed
        model_instance.__dict__.setdefault(PLAINTEXT_CACHE, {})[self.attname] = (sealed, value)
        return sealed

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is not None and not isinstance(value, Sealed):
            raise TypeError(
                f"{self.model._meta.label}.{self.name} is encrypted: it cannot be compared or written in SQL "
                "with a plaintext value. Use encrypted_update() to write and a blind index to look up."
            )
        return super().get_db_prep_value(value, connection, prepared)

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: models.Model) -> str:
        sealed = obj.__dict__.get(self.attname)
        if sealed is not None and not isinstance(sealed, Sealed):
            sealed = self.seal(obj, sealed)
        return "" if sealed is None else base64.b64encode(sealed).decode("ascii")


class TextCodec:
    @staticmethod
    def serialize(value: Any) -> bytes:
        return str(value).encode("utf-8")

    @staticmethod
    def deserialize(data: bytes) -> str:
        return data.decode("utf-8")


class DateCodec:
    @staticmethod
    def serialize(value: Any) -> bytes:
        if not isinstance(value, datetime.date):
            raise TypeError("an encrypted date field expects a date")
        return value.isoformat().encode("ascii")

    @staticmethod
    def deserialize(data: bytes) -> datetime.date:
        return datetime.date.fromisoformat(data.decode("ascii"))


class JSONCodec:
    @staticmethod
    def serialize(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")

    @staticmethod
    def deserialize(data: bytes) -> Any:
        return json.loads(data.decode("utf-8"))


class EncryptedTextField(EncryptedField):
    """Encrypted text (names, narratives, notes); `max_length` is checked on the plaintext."""

    codec = TextCodec()

    def form_options(self) -> dict[str, Any]:
        widget = forms.TextInput if self.max_length and self.max_length <= 255 else forms.Textarea
        return {"required": not self.blank, "max_length": self.max_length, "widget": widget}


class EncryptedDateField(EncryptedField):
    """An encrypted exact date (birth, event); coarse clear copies live in separate fields."""

    codec = DateCodec()
    form_class = forms.DateField

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value:
            try:
                return datetime.date.fromisoformat(value)
            except ValueError as error:
                raise ValidationError(_("Enter a valid date."), code="invalid") from error
        return value


class EncryptedJSONField(EncryptedField):
    """Encrypted structured data (contacts, identifiers, addresses, name variants)."""

    codec = JSONCodec()
    form_class = forms.JSONField


def encrypted_fields(model: type[models.Model]) -> list[EncryptedField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, EncryptedField)]


def encrypted_update(instances: Iterable[models.Model], fields: list[str], batch_size: int = 500) -> int:
    """Write `fields` of already-loaded instances in bulk, encrypting each encrypted value for its own row.

    The instances carry their new (plaintext) values as attributes; clear fields pass through as usual.
    """
    rows = list(instances)
    if not rows:
        return 0
    model = type(rows[0])
    for instance in rows:
        for name in fields:
            field = model._meta.get_field(name)
            if isinstance(field, EncryptedField):
                sealed = field.pre_save(instance, add=False)
                setattr(instance, field.attname, Value(sealed, output_field=field))
    updated = model._base_manager.bulk_update(rows, fields, batch_size=batch_size)
    for instance in rows:
        for name in fields:
            field = model._meta.get_field(name)
            if isinstance(field, EncryptedField):
                instance.__dict__[field.attname] = instance.__dict__[field.attname].value
    return updated
