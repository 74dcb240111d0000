"""Matching cell text to vocabulary terms, choices and countries: by code or by any translated label.

The rule is `term_by_label`'s (code or label in any language, case, spacing, apostrophes and ё
ignored; an organisation's overriding terms replace the instance's), applied through an index
built once per import instead of a query per cell.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from asylon.cases.forms.events import COUNTRY_CHOICES
from asylon.vocab.selectors import normalised_label, terms_of

AMBIGUOUS = "\x00ambiguous"
_COUNTRY_CODE = re.compile(r"^[A-Za-z]{2}$")


def _index(names_by_value: dict[Any, list[str]]) -> dict[str, Any]:
    """normalised name -> value; a name shared by two values maps to AMBIGUOUS."""
    index: dict[str, Any] = {}
    for value, names in names_by_value.items():
        for name in names:
            key = normalised_label(str(name))
            if key:
                index[key] = value if index.get(key, value) == value else AMBIGUOUS
    return index


def _in_every_language(label: Any) -> list[str]:
    names = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.append(str(label))
    return names


class Matcher:
    """Cell text to stored values for one organisation; each method returns (value, problem)."""

    def __init__(self, organisation: Any) -> None:
        self.organisation = organisation
        self._terms: dict[str, dict[str, Any]] = {}
        self._choices: dict[type[models.Choices], dict[str, Any]] = {}
        self._countries = _index({code: _in_every_language(label) for code, label in COUNTRY_CHOICES if code})

    def term_id(self, vocabulary: str, text: str) -> tuple[Any, str]:
        """The id of the term the text names (by code or label), or a reason it names none."""
        if vocabulary not in self._terms:
            self._terms[vocabulary] = _index(
                {
                    found.pk: [found.code, *found.labels.values()]
                    for found in terms_of(vocabulary=vocabulary, organisation=self.organisation)
                }
            )
        return self._found(self._terms[vocabulary].get(normalised_label(text)), text)

    def choice(self, choices: type[models.Choices], text: str) -> tuple[Any, str]:
        """The stored value of a choice named by its value or its label in any language."""
        if choices not in self._choices:
            self._choices[choices] = _index(
                {value: [value, *_in_every_language(label)] for value, label in choices.choices}
            )
        return self._found(self._choices[choices].get(normalised_label(text)), text)

    def country(self, text: str) -> tuple[str, str]:
        """A two-letter country code, given as a code or as a listed country's name in any language."""
        found = self._countries.get(normalised_label(text))
        if found is None and _COUNTRY_CODE.match(text.strip()):
            found = text.strip().upper()
        if found is None:
            return "", _("“%(text)s” is not a country code (such as BY, RU, UA or LT) or a known country name.") % {
                "text": text
            }
        return found, ""

    @staticmethod
    def _found(value: Any, text: str) -> tuple[Any, str]:
        if value is None:
            return None, _("“%(text)s” is not a known value here (use its code or its name).") % {"text": text}
        if value == AMBIGUOUS:
            return None, _("“%(text)s” matches several values; use the code.") % {"text": text}
        return value, ""
