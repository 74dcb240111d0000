"""Read a Latin-script spelling of a Slavic name into the phoneme symbols of ``skeleton``.

Ordered, longest-first digraph rules bring the transliteration systems in use together:
ICAO 9303 and the Belarusian, Russian and Ukrainian passports (kh zh ch sh shch ts, ia iu ie),
BGN/PCGN (y- forms, ’ ” ·), ISO 9 / GOST 7.79 (š č ž ŝ â û ë ʹ ʺ), the Belarusian national
system and Łacinka (ŭ ł ś ć ź ń ĺ, ch for х), Polish (cz sz szcz w ł), Latvian (ņ ļ ķ ģ).
Diacritics not listed here (á é ö ā ...) are dropped; letters of other scripts pass through.
"""

from __future__ import annotations

import unicodedata
from functools import cache

_LETTERS = {
    "a": "a", "b": "b", "c": "ts", "d": "d", "e": "e", "f": "f", "g": "g",
    "h": "g",  # Belarusian and Ukrainian г; х is kh (see _rules for ISO 9)
    "i": "i", "j": "j", "k": "k", "l": "l", "m": "m", "n": "n", "o": "o", "p": "p",
    "q": "k", "r": "r", "s": "s", "t": "t", "u": "u", "v": "v",
    "w": "v",  # Polish, German, and Belarusian ў since 2023
    "x": "ks",  # Alexander, Maxim
    "y": "i",  # ы, Ukrainian и; as a glide (ya yu ye) the skeleton rules turn it into j
    "z": "z",
}  # fmt: skip
_MARKS = {mark: "'" for mark in "'\u2019\u02bc\u02b9\u02ba`\u00b4\u2018\u201d\u201c"}
_DIACRITIC_LETTERS = {
    "š": "S", "ž": "Z", "č": "C", "ŝ": "SC", "ŭ": "u", "ǔ": "u", "ł": "l", "ı": "i",
    "ś": "s'", "ć": "ts'", "ź": "z'", "ń": "n'", "ĺ": "l'", "ľ": "l'", "ň": "n'", "ď": "d'", "ť": "t'",
    "ņ": "n'", "ļ": "l'", "ķ": "k'", "ģ": "g'",
    "â": "ja", "û": "ju", "ê": "je", "ě": "je", "ë": "jo", "è": "e", "ì": "i", "ï": "ji",
}  # fmt: skip
_DIGRAPHS = {
    "shch": "SC", "szcz": "SC", "sch": "SC",
    "tsh": "tS", "szh": "sZ",  # т+ш, с+ж (ICAO otshelnik, rasszhat); ц+х would be tskh
    "zh": "Z", "kh": "x", "sh": "S", "ch": "C", "cz": "C", "sz": "S", "ts": "ts",
    "ct": "kt",  # Victor, Viktoria: English c before t (ck stays цк: Polish and Łacinka -cki)
    "gh": "g",  # Ukrainian зг = zgh
    "\u00b7h": "x", "\u00b7": "",  # BGN/PCGN separator: s·h = сх, t·s = тс
}  # fmt: skip
_LONGEST_RULE = 4
# A háček or Polish/Łacinka letter shows a Central-European spelling, where ch is х (Chruščoŭ).
_HACEK_MARKERS = frozenset("šžčŭłśćźńĺľňďťěņļķģ")
# Letters only ISO 9 uses; in ISO 9, h is х (Ŝuhov) and g is г.
_ISO9_MARKERS = frozenset("ŝâûêëèìïǔ\u02b9\u02ba")


@cache
def _rules(hacek: bool, iso9: bool) -> dict[str, str]:
    rules = {**_LETTERS, **_MARKS, **_DIACRITIC_LETTERS, **_DIGRAPHS}
    if hacek:
        rules["ch"] = "x"
    if iso9:
        rules["h"] = "x"
    return rules


_LISTED = frozenset(_rules(hacek=False, iso9=False))


def _without_unlisted_diacritics(character: str) -> str:
    if character in _LISTED:
        return character
    return "".join(part for part in unicodedata.normalize("NFKD", character) if not unicodedata.combining(part))


def latin_phonemes(token: str) -> str:
    """The phoneme symbols of a Latin-script token (see ``skeleton`` for the symbols)."""
    text = "".join(map(_without_unlisted_diacritics, token.casefold()))
    rules = _rules(not _HACEK_MARKERS.isdisjoint(text), not _ISO9_MARKERS.isdisjoint(text))
    phonemes: list[str] = []
    position = 0
    if text.startswith("yi"):  # Ukrainian word-initial ї (Yizhakevych); elsewhere yi is и+й
        phonemes.append("ji")
        position = 2
    while position < len(text):
        for length in range(_LONGEST_RULE, 0, -1):
            chunk = text[position : position + length]
            if len(chunk) == length and chunk in rules:
                phonemes.append(rules[chunk])
                position += length
                break
        else:  # a letter of another script passes through
            phonemes.append(text[position])
            position += 1
    return "".join(phonemes)
