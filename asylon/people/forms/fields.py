"""Form fields for a person's structured lists, typed as one item per line, and the clearance filter."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from asylon.accounts.clearance import clearance_of, field_level

NAME_PARTS = ("given_name", "patronymic", "family_name")


def limit_to_clearance(form: forms.BaseForm, user: Any, obj: models.Model) -> None:
    """Drop every field the user's clearance does not reach: it is neither shown, pre-filled nor saved."""
    clearance = clearance_of(user, obj)
    model_fields = {field.name for field in obj._meta.get_fields()}
    for name in list(form.fields):
        if name not in model_fields:
            continue  # not a field of the record (a case role, say): nothing personal to withhold
        if clearance is None or field_level(obj, name) > clearance:
            del form.fields[name]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class LinesField(forms.CharField):
    """A list typed as one item per line. Unchanged text leaves the stored list (and its shape) alone."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def format_item(self, item: Any) -> str:
        return str(item)

    def parse_line(self, line: str, number: int) -> Any:
        return line

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | dict):
            return "\n".join(format_items(value, self.format_item))
        return value

    def to_python(self, value: Any) -> list[Any]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [self.parse_line(line, number) for number, line in enumerate(_lines(text), start=1)]

    def has_changed(self, initial: Any, data: Any) -> bool:
        return _lines(self.prepare_value(initial) or "") != _lines(data or "")


def format_items(value: Any, format_item: Any) -> list[str]:
    if isinstance(value, dict):
        return [f"{key}: {item}" for key, item in value.items()]
    return [format_item(item) for item in value or []]


def format_name_variant(item: Any) -> str:
    if isinstance(item, dict):
        return " ".join(str(item[part]) for part in NAME_PARTS if item.get(part))
    return str(item)


def format_contact(item: Any) -> str:
    if isinstance(item, dict) and "value" in item:
        return f"{item.get('kind', '')}: {item['value']}" if item.get("kind") else str(item["value"])
    return str(item)


def format_identifier(item: Any) -> str:
    if isinstance(item, dict):
        kind = str(item.get("type") or item.get("kind") or "")
        if item.get("country"):
            kind = f"{kind} ({item['country']})"
        return f"{kind}: {item.get('number', '')}" if kind else str(item.get("number", ""))
    return str(item)


def format_address(item: Any) -> str:
    if isinstance(item, dict):
        if "text" in item:
            return str(item["text"])
        return ", ".join(str(item[part]) for part in ("street", "city", "region", "country") if item.get(part))
    return str(item)


class NameVariantsField(LinesField):
    format_item = staticmethod(format_name_variant)  # type: ignore[assignment]


class ContactsField(LinesField):
    """Lines "kind: value", for example "phone: +370 600 00000"."""

    format_item = staticmethod(format_contact)  # type: ignore[assignment]

    def parse_line(self, line: str, number: int) -> dict[str, str]:
        kind, separator, value = line.partition(":")
        if not separator or not kind.strip() or not value.strip():
            raise ValidationError(
                _('Line %(number)s: write the kind, a colon, then the contact, for example "phone: +370 600 00000".'),
                params={"number": number},
                code="contact_line",
            )
        return {"kind": kind.strip(), "value": value.strip()}


IDENTIFIER_LINE = re.compile(r"^(?P<type>[^:()]+?)\s*(?:\((?P<country>[A-Za-z]{2})\))?\s*:\s*(?P<number>.+)$")


class IdentifiersField(LinesField):
    """Lines "type (country): number", the country optional, for example "passport (BY): MP1234567"."""

    format_item = staticmethod(format_identifier)  # type: ignore[assignment]

    def parse_line(self, line: str, number: int) -> dict[str, str]:
        match = IDENTIFIER_LINE.match(line)
        if not match:
            raise ValidationError(
                _('Line %(number)s: write the document type, a colon and the number, e.g. "passport: MP1234567".'),
                params={"number": number},
                code="identifier_line",
            )
        item = {"type": match["type"].strip(), "number": match["number"].strip()}
        if match["country"]:
            item["country"] = match["country"].upper()
        return item


class AddressesField(LinesField):
    """One address per line."""

    format_item = staticmethod(format_address)  # type: ignore[assignment]

    def parse_line(self, line: str, number: int) -> dict[str, str]:
        return {"text": line}


class CodesField(forms.CharField):
    """A list of short codes separated by commas (languages, countries, flags)."""

    def __init__(self, *, upper: bool = False, **kwargs: Any) -> None:
        self.upper = upper
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(str(item) for item in value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        items = [item.strip() for item in text.split(",") if item.strip()]
        return [item.upper() for item in items] if self.upper else items

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(self.prepare_value(initial) or "") != self.to_python(data or "")
        except ValidationError:
            return True
