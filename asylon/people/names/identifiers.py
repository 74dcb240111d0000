"""Normalised document numbers for exact lookup."""

from __future__ import annotations

import re
import unicodedata

from .scripts import LOOKALIKES_TO_LATIN

# Spaces, dots and every dash and hyphen, including the minus sign.
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015\u2212]+")


def identifier_key(text: str) -> str:
    """The lookup form of a document number: 'МР 123-45.67' and 'mp1234567' both give 'MP1234567'.

    Upper case, without spaces, dots or dashes, with Cyrillic and Greek letters that look like
    Latin capitals replaced by them. Digits and letters are never merged (О and 0 stay apart).
    """
    upper = unicodedata.normalize("NFKC", text).upper().translate(LOOKALIKES_TO_LATIN)
    return _SEPARATORS.sub("", upper)
