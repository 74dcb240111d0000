"""Vocabulary terms resolved once per run: code → Term for each vocabulary the stories use."""

from __future__ import annotations

from typing import Any

from asylon.vocab import codes
from asylon.vocab.models import Term
from asylon.vocab.selectors import terms_of

VOCABULARIES = (
    codes.EVENT_TYPE,
    codes.PROCEEDING_STEP,
    codes.DECISION_TYPE,
    codes.DECISION_OUTCOME,
    codes.DECISION_MAKER,
    codes.GROUNDS,
    codes.CLAIM_BASIS,
)


class MissingTerm(LookupError):
    """A story uses a code the organisation's vocabulary does not have (reference data not loaded?)."""


class TermTable:
    """The active terms an organisation sees (its overrides included), by vocabulary and code."""

    def __init__(self, organisation: Any) -> None:
        self.by_code: dict[str, dict[str, Term]] = {
            vocabulary: {term.code: term for term in terms_of(vocabulary=vocabulary, organisation=organisation)}
            for vocabulary in VOCABULARIES
        }

    def term(self, vocabulary: str, code: str) -> Term:
        """The term for a code; MissingTerm names the vocabulary and code when there is none."""
        try:
            return self.by_code[vocabulary][code]
        except KeyError:
            raise MissingTerm(
                f"Vocabulary {vocabulary!r} has no active term {code!r}: load the reference data "
                "(asylon load_reference_data) before synthesising."
            ) from None

    def all(self, vocabulary: str) -> list[Term]:
        """Every active term of a vocabulary."""
        return list(self.by_code[vocabulary].values())

    def id(self, vocabulary: str, code: str) -> Any:
        """The primary key of the term for a code."""
        return self.term(vocabulary, code).pk
