"""Cached choice lists of vocabulary terms, and the generation that retires them.

Every form offering terms (the case list's filters, the event and decision forms) would otherwise
read and translate the same few hundred terms on each request. The lists are cached per
vocabulary, organisation and language under the current vocabulary generation, a value that
changes whenever a vocabulary or a term is saved or deleted (signals, and the reference-data
loader, which writes through historical models). With a shared cache (Redis) a change shows at
once everywhere; with the local memory cache of several processes, other processes follow within
CHOICES_SECONDS.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.utils import translation

GENERATION_KEY = "vocab:generation"
CHOICES_SECONDS = 300


def vocabulary_generation() -> str:
    """The current generation (created on first use)."""
    cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
    return cache.get(GENERATION_KEY) or ""


def vocabulary_changed(**_signal: Any) -> None:
    """Retire every cached choice list (a signal receiver, also called by the loader)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def cached_per_generation(*, namespace: str, vocabulary: str, scope: Any, build: Callable[[], Any]) -> Any:
    """Something derived from a vocabulary (in the active language), built once per generation."""
    language = translation.get_language() or "en"
    key = f"{namespace}:{vocabulary_generation()}:{vocabulary}:{scope}:{language}"
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, CHOICES_SECONDS)
    return found


def cached_choices(*, vocabulary: str, organisation: Any, build: Callable[[], list[Any]]) -> list[Any]:
    """The choice list of a vocabulary for an organisation in the active language, built once per generation."""
    scope = getattr(organisation, "pk", None)
    return cached_per_generation(namespace="vocab:choices", vocabulary=vocabulary, scope=scope, build=build)
