"""A scanner for plaintext in artefacts an adversary could seize (database files, dumps, logs, queues, media).

An artefact is read as UTF-8 text (undecodable bytes replaced) and again with JSON's `\\uXXXX`
escapes resolved, since Django's JSONField writes those on SQLite, and compared case-folded.
Each secret (a value written into an encrypted field) gives needles: the whole value, searched
as a substring, and each word of four or more characters in it, searched as a whole word of the
artefact (so "свідки" is not found inside the clear "посвідки"). Words and values that also
occur in the project's code or reference data are allowed: they may be in the artefacts for
reasons of their own. Words of hexadecimal digits only are skipped, as hex-encoded ciphertexts,
UUIDs and numbers produce them by chance; the whole value is still searched.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
SOURCE_SUFFIXES = {".py", ".json", ".html", ".txt", ".po", ".csv", ".md", ".js", ".css", ".svg"}
MIN_WORD_LENGTH = 4
WORD = re.compile(r"\w+")
HEXADECIMAL = re.compile(r"[0-9a-f]+")
JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
DATE_NOTATIONS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")


def readable_text(content: bytes) -> str:
    """The content as case-folded text, followed by the same with JSON escapes resolved."""
    text = content.decode("utf-8", errors="replace")
    unescaped = JSON_ESCAPE.sub(lambda escape: chr(int(escape[1], 16)), text)
    return (text if unescaped == text else f"{text}\n{unescaped}").casefold()


@dataclass(frozen=True)
class Needle:
    text: str  # case-folded
    whole_word: bool
    secret: str  # the value written into an encrypted field, for the failure message

    def __str__(self) -> str:
        kind = "word" if self.whole_word else "value"
        return f"{kind} {self.text!r} (from {self.secret!r})"


class Artefact:
    """The text and the set of words of one seized artefact."""

    def __init__(self, name: str, content: bytes) -> None:
        self.name = name
        self.text = readable_text(content)
        self.words = frozenset(WORD.findall(self.text))

    def contains(self, needle: Needle) -> bool:
        return needle.text in self.words if needle.whole_word else needle.text in self.text


@dataclass(frozen=True)
class Finding:
    artefact: str
    needle: Needle


@functools.cache
def code_and_reference_data() -> Artefact:
    """The package's source files and reference data (tests excluded), read like an artefact."""
    paths = sorted((REPOSITORY / "asylon").rglob("*"))
    sources = [path for path in paths if path.suffix in SOURCE_SUFFIXES and "tests" not in path.parts]
    return Artefact("code and reference data", b"\n".join(path.read_bytes() for path in sources if path.is_file()))


def needles_for_text(secret: str) -> set[Needle]:
    """The value and its words, unless the code or reference data contain them too."""
    code = code_and_reference_data()
    folded = secret.casefold()
    needles = set()
    if len(folded) >= MIN_WORD_LENGTH and folded not in code.text:
        needles.add(Needle(folded, whole_word=False, secret=secret))
    for word in WORD.findall(folded):
        if len(word) >= MIN_WORD_LENGTH and word not in code.words and not HEXADECIMAL.fullmatch(word):
            needles.add(Needle(word, whole_word=True, secret=secret))
    return needles


def needles_for_date(secret: datetime.date) -> set[Needle]:
    """An exact date in the usual notations; its year alone is kept clear on purpose, so it is not a needle."""
    return {
        Needle(secret.strftime(notation), whole_word=False, secret=secret.isoformat()) for notation in DATE_NOTATIONS
    }


def scan(artefacts: Iterable[Artefact], needles: Iterable[Needle]) -> list[Finding]:
    """Every needle found in every artefact."""
    needles = sorted(needles, key=str)
    return [
        Finding(artefact=artefact.name, needle=needle)
        for artefact in artefacts
        for needle in needles
        if artefact.contains(needle)
    ]
