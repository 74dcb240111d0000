"""Split a name as typed into the words that are keyed one by one."""

from __future__ import annotations

import re
import unicodedata

# Apostrophes, primes and quotes that stand for a soft or hard sign inside a word (Знам'янка,
# Natal'ya, BGN/PCGN Ob”yezd, ISO 9 Ilʹin, BGN/PCGN t·s): part of the word, never at its edges.
WORD_MARKS = "'\u2019\u02bc\u02b9\u02ba`\u00b4\u2018\u201d\u201c\u00b7"
_WORD = re.compile(rf"(?:[^\W\d_]|[\u0300-\u036f{WORD_MARKS}])+")


def name_tokens(text: str) -> list[str]:
    """The words of ``text``: runs of letters; spaces, hyphens, digits and punctuation split them."""
    words = (match.group().strip(WORD_MARKS) for match in _WORD.finditer(unicodedata.normalize("NFC", text)))
    return [word for word in words if word]
