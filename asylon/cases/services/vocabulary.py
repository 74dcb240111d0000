"""Vocabulary terms for service arguments; an unknown code is reported against the argument's field."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from asylon.accounts.models import Organisation
from asylon.vocab.models import Term
from asylon.vocab.selectors import term, terms


def term_for_field(field: str, vocabulary: str, code: str, organisation: Organisation) -> Term:
    """A vocabulary term for a service argument; an unknown code is reported against that field."""
    try:
        return term(vocabulary=vocabulary, code=code, organisation=organisation)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


def terms_for_field(field: str, vocabulary: str, codes_given: list[str], organisation: Organisation) -> list[Term]:
    """Vocabulary terms for a service argument; unknown codes are reported against that field."""
    try:
        return terms(vocabulary=vocabulary, codes=codes_given, organisation=organisation)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
