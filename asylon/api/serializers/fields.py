"""Input fields shared by the resources' serializers: bounded text without NUL or lone surrogates."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MAX_TEXT = 20_000
# The largest value of a small integer column on every database: larger ones are refused here, not by the database.
SMALL_INT = 32_767


class Text(serializers.CharField):
    """Text to store (encrypted or clear): bounded, no NUL (DRF refuses it) and no lone surrogate,
    which JSON allows but UTF-8 cannot hold."""

    default_error_messages = {"surrogate": _("The text holds a character that is not valid Unicode.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_TEXT)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.fail("surrogate")
        return value


def codes(max_length: int = 64, **kwargs: Any) -> serializers.ListField:
    """A list of short codes (languages, countries, flags, vocabulary codes)."""
    kwargs.setdefault("required", False)
    return serializers.ListField(child=Text(max_length=max_length, allow_blank=False), max_length=100, **kwargs)
