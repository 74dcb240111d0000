"""Which alphabet a name token is written in, and look-alike letters typed from the other one."""

from __future__ import annotations

import re

from .datafiles import load_table

_HOMOGLYPHS = load_table("homoglyphs.json")
_CYRILLIC_LOOKALIKES: dict[str, str] = _HOMOGLYPHS["cyrillic_to_latin"]

# For names: a Latin token with a stray Cyrillic С reads it as C, and the other way round.
CYRILLIC_LOOKALIKES_TO_LATIN = str.maketrans(_CYRILLIC_LOOKALIKES)
LATIN_LOOKALIKES_TO_CYRILLIC = str.maketrans({latin: cyrillic for cyrillic, latin in _CYRILLIC_LOOKALIKES.items()})
# For document numbers, which are Latin capitals and digits: Greek capitals too.
LOOKALIKES_TO_LATIN = str.maketrans({**_CYRILLIC_LOOKALIKES, **_HOMOGLYPHS["greek_to_latin"]})


_CYRILLIC_RANGE = "\u0400-\u052f"
_SCRIPT_RUN = re.compile(rf"[{_CYRILLIC_RANGE}]+|[^{_CYRILLIC_RANGE}]+")


def is_cyrillic(character: str) -> bool:
    """True for a letter of the Cyrillic and Cyrillic Supplement blocks."""
    return "\u0400" <= character <= "\u052f"


def _is_latin(character: str) -> bool:
    return character.isalpha() and (
        character.isascii() or "\u00c0" <= character <= "\u024f" or "\u1e00" <= character <= "\u1eff"
    )


def written_in_cyrillic(token: str) -> bool:
    """True when most letters of ``token`` are Cyrillic (ties go to Latin)."""
    cyrillic = sum(1 for character in token if is_cyrillic(character))
    latin = sum(1 for character in token if _is_latin(character))
    return cyrillic > latin


def script_runs(token: str) -> list[str]:
    """``token`` cut into runs of Cyrillic and of non-Cyrillic characters."""
    return _SCRIPT_RUN.findall(token)
