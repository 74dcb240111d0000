"""Blind-index keys for names: one key per word, the same for every spelling of that word."""

from __future__ import annotations

from functools import lru_cache

from .given_names import given_name_key
from .skeleton import skeleton
from .tokens import name_tokens


@lru_cache(maxsize=1 << 16)
def word_key(word: str) -> str:
    """The key of one name word: its given-name key if the equivalence table lists it, else its skeleton."""
    word_skeleton = skeleton(word)
    return given_name_key(word_skeleton) or word_skeleton


def name_keys(text: str) -> list[str]:
    """The keys of a full or single name, one per word, without repeats, in the order of the words.

    Two spellings of the same name word (any script, transliteration system or Belarusian/
    Russian/Ukrainian form) give the same key; see docs/names.md for what does and does not meet.
    """
    return list(dict.fromkeys(key for key in map(word_key, name_tokens(text)) if key))
