"""Codenames: random words a person keeps to come back to their submission (docs/intake.md).

A codename is drawn with `secrets` from a word list in the form's language where one is shipped
(asylon/intake/wordlists/README.md says which and where from), English otherwise, with enough words for at least
80 bits. It is shown once and never stored: the database holds a keyed digest of its normalised form (the unique
lookup key) and an Argon2id verifier, so neither a stolen database nor the lookup key alone gives it back.
"""

from __future__ import annotations

import functools
import math
import re
import secrets
import unicodedata
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from django.conf import settings

from asylon.common.crypto.keyring import keyring

WORDLISTS = Path(__file__).resolve().parent / "wordlists"
DEFAULT_LANGUAGE = "en"
MIN_BITS = 80
SEPARATOR = "-"
LOOKUP_PURPOSE = "intake.codename"
_SEPARATORS = re.compile(r"[\s\-._\u2010-\u2015\u2212]+")


@functools.cache
def wordlist(language: str) -> tuple[str, ...]:
    """The shipped word list of a language (English when none is shipped), distinct words in file order."""
    path = WORDLISTS / f"{language}.txt"
    if not path.is_file():
        path = WORDLISTS / f"{DEFAULT_LANGUAGE}.txt"
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        # Diceware lists carry the dice roll before the word ("11111<TAB>abacus").
        word = line.split()[-1] if line.strip() else ""
        if word and not word.startswith("#"):
            words.append(normalised(word))
    return tuple(dict.fromkeys(words))


def words_needed(list_size: int) -> int:
    """How many words drawn from a list of this size carry at least MIN_BITS bits."""
    return math.ceil(MIN_BITS / math.log2(list_size))


def entropy_bits(language: str) -> float:
    """The entropy of a codename in this language, from the list's size and the number of words."""
    words = wordlist(language)
    return words_needed(len(words)) * math.log2(len(words))


def new_codename(language: str) -> str:
    """A fresh random codename in the form's language (or English), words joined by dashes."""
    words = wordlist((language or DEFAULT_LANGUAGE).split("-")[0])
    return SEPARATOR.join(secrets.choice(words) for _ in range(words_needed(len(words))))


def normalised(codename: str) -> str:
    """The codename as compared: NFKC, case-folded, any run of blanks, dashes, dots or underscores one dash."""
    text = unicodedata.normalize("NFKC", codename).casefold()
    return _SEPARATORS.sub(SEPARATOR, text).strip(SEPARATOR)


def lookup_key(codename: str) -> str:
    """The unique lookup key: a keyed digest (blind index) of the normalised codename, in hex."""
    return keyring().blind_index(LOOKUP_PURPOSE, normalised(codename)).hex()


def _hasher() -> PasswordHasher:
    cost = settings.ASYLON_INTAKE_ARGON2
    return PasswordHasher(
        time_cost=int(cost["time_cost"]), memory_cost=int(cost["memory_cost"]), parallelism=int(cost["parallelism"])
    )


def make_verifier(codename: str) -> str:
    """An Argon2id hash of the normalised codename (cost from settings.ASYLON_INTAKE_ARGON2)."""
    return _hasher().hash(normalised(codename))


def verify(verifier: str, codename: str) -> bool:
    """Whether the codename matches the verifier; False for a wrong codename or a damaged verifier."""
    try:
        return _hasher().verify(verifier, normalised(codename))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
