"""Read a Cyrillic name (Belarusian, Russian or Ukrainian) into the phoneme symbols of ``skeleton``."""

from __future__ import annotations

from .datafiles import load_table

_LETTERS: dict[str, str] = load_table("cyrillic_phonemes.json")["letters"]


def cyrillic_phonemes(token: str) -> str:
    """The phoneme symbols of a Cyrillic token; letters of other Cyrillic alphabets pass through."""
    return "".join(_LETTERS.get(letter, letter) for letter in token.lower())
