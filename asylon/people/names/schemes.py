"""Cyrillic-to-Latin transliteration by named scheme.

Russian schemes come from ``iuliia``; the Belarusian and Ukrainian ones, which no library
provides, are data tables in ``data/`` (each with its official source and test vectors).
The output is what a document would show; it is used to generate realistic Latin spellings
(synthetic data, tests), never as a matching key: keys come from ``name_keys``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import iuliia

from .datafiles import load_table

TABLE_SCHEMES = ("belarusian_passport", "belarusian_national", "ukrainian_passport")
IULIIA_SCHEMES = {
    "russian_icao": iuliia.ICAO_DOC_9303,
    "russian_bgn_pcgn": iuliia.BGN_PCGN,
    "iso9": iuliia.GOST_779,
}
SCHEME_NAMES: tuple[str, ...] = (*TABLE_SCHEMES, *IULIIA_SCHEMES)

# iuliia 0.13 writes Cyrillic ё where BGN/PCGN and ISO 9 prescribe Latin ë.
_IUUIIA_YO_FIX = str.maketrans({"ё": "ë", "Ё": "Ë"})
_CYRILLIC_WORD = re.compile(r"[\u0400-\u052f'’ʼ]+")


@dataclass(frozen=True)
class TableScheme:
    """A letter table with the few positional rules the Belarusian and Ukrainian systems need."""

    letters: dict[str, str]
    iotated: dict[str, str]  # forms used at the start of a word and after ``iotated_after``
    iotated_after: frozenset[str]
    sequences: dict[str, str]  # letter groups rendered as a unit, e.g. зг -> zgh
    longest_sequence: int

    @classmethod
    def from_table(cls, table: dict) -> TableScheme:
        sequences = table.get("sequences", {})
        return cls(
            letters=table["letters"],
            iotated=table.get("iotated", {}),
            iotated_after=frozenset(table.get("iotated_after", "")),
            sequences=sequences,
            longest_sequence=max((len(key) for key in sequences), default=1),
        )

    def transliterate_word(self, word: str) -> str:
        lower = word.lower()
        shouting = len(word) > 1 and word.isupper()
        pieces: list[str] = []
        position = 0
        while position < len(lower):
            source, latin = self._unit_at(lower, position)
            original = word[position : position + len(source)]
            if shouting:
                latin = latin.upper()
            elif original[:1].isupper():
                latin = latin[:1].upper() + latin[1:]
            pieces.append(latin)
            position += len(source)
        return "".join(pieces)

    def _unit_at(self, lower: str, position: int) -> tuple[str, str]:
        for length in range(self.longest_sequence, 1, -1):
            chunk = lower[position : position + length]
            if chunk in self.sequences:
                return chunk, self.sequences[chunk]
        letter = lower[position]
        after = lower[position - 1] if position else ""
        if letter in self.iotated and (not after or after in self.iotated_after):
            return letter, self.iotated[letter]
        return letter, self.letters.get(letter, letter)


@cache
def _table_scheme(name: str) -> TableScheme:
    return TableScheme.from_table(load_table(f"{name}.json"))


def scheme_vectors(scheme: str) -> list[tuple[str, str]]:
    """The (Cyrillic, Latin) test vectors recorded with a table scheme's source."""
    return [(cyrillic, latin) for cyrillic, latin in load_table(f"{scheme}.json")["vectors"]]


def _iuliia_word(schema: iuliia.Schema, word: str) -> str:
    latin = schema.translate(word).translate(_IUUIIA_YO_FIX)
    # iuliia capitalises letter by letter ("ЮЛИЯ" -> "IuLIIa"); documents shout whole words.
    return latin.upper() if len(word) > 1 and word.isupper() else latin


def transliterate(text: str, scheme: str) -> str:
    """Write ``text`` in Latin letters under ``scheme`` (one of ``SCHEME_NAMES``).

    Characters the scheme has no rule for (digits, punctuation, letters of other
    alphabets, and Belarusian/Ukrainian letters under the Russian schemes) pass through.
    """
    if scheme in IULIIA_SCHEMES:
        schema = IULIIA_SCHEMES[scheme]
        return _CYRILLIC_WORD.sub(lambda match: _iuliia_word(schema, match.group()), text)
    if scheme in TABLE_SCHEMES:
        table_scheme = _table_scheme(scheme)
        return _CYRILLIC_WORD.sub(lambda match: table_scheme.transliterate_word(match.group()), text)
    raise ValueError(f"unknown transliteration scheme {scheme!r}; known: {', '.join(SCHEME_NAMES)}")
