"""The situations the public form offers: event types of the vocabulary, with their translated labels."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from asylon.vocab.cache import cached_per_generation
from asylon.vocab.codes import EVENT_TYPE
from asylon.vocab.selectors import terms_of

DETENTION = "detention"
# In the form's order: summons, criminal case, residence refusal, threat designation, detention.
SITUATIONS: tuple[str, ...] = (
    "summons_issued",
    "criminal_case_opened",
    "temp_residence_refused",
    "declared_national_security_threat",
    DETENTION,
)


def situation_choices(language: str, organisation: Any = None) -> list[tuple[str, str]]:
    """(code, label) of each situation in SITUATIONS order, labelled in `language` from the vocabulary (cached)."""

    def build() -> list[tuple[str, str]]:
        labels = {
            found.code: found.label(language)
            for found in terms_of(vocabulary=EVENT_TYPE, organisation=organisation).filter(code__in=SITUATIONS)
        }
        return [(code, labels.get(code) or code) for code in SITUATIONS]

    scope = getattr(organisation, "pk", None)
    with translation.override(language):
        choices = cached_per_generation(namespace="intake:situations", vocabulary=EVENT_TYPE, scope=scope, build=build)
    return list(choices)
