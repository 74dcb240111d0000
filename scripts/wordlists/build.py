#!/usr/bin/env python3
"""Build the codename word lists for be, ru, uk and lt (asylon/intake/wordlists/README.md).

Each list is drawn from Debian's Hunspell dictionary of the language (apt-get install hunspell-be hunspell-ru
hunspell-uk hunspell-lt): the dictionary's entries (its stems, which are base forms) that are 4 to 8 lowercase
letters of the language's alphabet, so no proper noun (capitalised), no abbreviation (capitals or dots), no word with
an apostrophe, hyphen or digit. Inflected forms that the dictionaries list as entries of their own (Russian
participles, Lithuanian present and past tense forms) are left out. The words are ranked by how common they are
(wordfreq's Zipf frequency; Belarusian, which wordfreq lacks, by the frequency of the same or the spelled-alike word
in Russian and Ukrainian), the deny list beside this script (deny/<language>.txt, reviewed by hand: offensive,
sexual, violent, military, political, religious, police and state, drug and illness words, near duplicates) is
taken out, and the most common words are kept in order, skipping a word that differs by one letter from a more
common word already kept, or that only differs from one by diacritics (ё/е, š/s, ...). The kept words are written
sorted, one a line, NFC.

    python3 -m venv /tmp/wordfreq && /tmp/wordfreq/bin/pip install wordfreq==3.1.1
    /tmp/wordfreq/bin/python scripts/wordlists/build.py             # writes asylon/intake/wordlists/{be,ru,uk,lt}.txt
    /tmp/wordfreq/bin/python scripts/wordlists/build.py --check     # exits 1 if a shipped list differs from a rebuild
    /tmp/wordfreq/bin/python scripts/wordlists/build.py ru --show 300  # the 300 least common kept words, for review

The output depends only on the dictionary files, the wordfreq version and the deny lists, so the same inputs give
the same lists.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUTPUT = ROOT / "asylon" / "intake" / "wordlists"
HUNSPELL = Path("/usr/share/hunspell")
SIZE = 6**5  # 7,776: five dice rolls a word, like the English list
MIN_LETTERS, MAX_LETTERS = 4, 8
WORDFREQ_VERSION = "3.1.1"


@dataclass(frozen=True)
class Language:
    code: str
    dictionary: str
    alphabet: str
    vowels: str
    # Entries ending so are inflected forms the dictionary lists as entries of their own, not base forms.
    inflected: str = r"(?!)"
    # Flags that mark a finite verb form (Lithuanian lists the present and past tense forms besides the infinitive).
    inflected_flags: str = ""
    # Entries without flags are irregular inflected forms in the Russian dictionary (столбцов, забочусь, резче), and so
    # are entries with only these flags (imperatives and past tense forms: береги, выпей, нашла, заперся).
    flags_required: bool = False
    inflected_only_flags: str = ""
    # Endings replaced to find a lemma's common inflected forms, whose frequencies add to the lemma's.
    inflections: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Frequencies looked up in these wordfreq languages, of the word itself and of the spelled-alike forms.
    frequency: tuple[str, ...] = ()
    spelled_alike: bool = False
    # For dictionaries of stems (Belarusian): an entry is a base form only with one of these flags or an ending below.
    lemma_flags: str = ""
    lemma_endings: tuple[str, ...] = ()
    lemma_ending_flags: str = ""  # an entry with a lemma ending is an infinitive only with one of these flags


LANGUAGES = {
    language.code: language
    for language in (
        Language(
            code="be",
            dictionary="be_BY",
            alphabet="абвгдеёжзійклмнопрстуўфхцчшыьэюя",
            vowels="аеёіоуыэюя",
            # Gerunds (-учы, -ючы, -аючы, -ячы, -ўшы) are not base forms, nor words spelled with the initial ў that
            # follows a vowel (ўдарыць for ударыць).
            inflected=r"^ў|(учы|ючы|ачы|ячы|ўшы|ушы|ўшыся)$",
            frequency=("uk", "ru"),
            spelled_alike=True,
            # Nouns (D E F O H T) and adjectives (V Z) in the nominative, and infinitives; the dictionary's other
            # entries are stems of inflected forms (смельчака, скрэблі, апавядаю).
            lemma_flags="DEFOHTVZ",
            # Infinitives are the entries in -ць/-ці with an imperative, first person or reflexive flag; the others
            # in -ць are present tense forms (ляжыць, брэшуць).
            lemma_endings=("ць", "ці"),
            lemma_ending_flags="lmfjKw",
        ),
        Language(
            code="ru",
            # Without ё: it is often typed as е, and a codename must be typed back exactly.
            dictionary="ru_RU",
            alphabet="абвгдежзийклмнопрстуфхцчшщъыьэюя",
            vowels="аеиоуыэюя",
            # Participles and gerunds the dictionary lists as entries of their own.
            inflected=r"(дший|сший|зший|рший|кший|вший|вшись|вшийся|ющий|ющийся|ащий|ящий|ущий|емый|имый|ённый|нный|ящийся|ащийся|ущийся)$",
            flags_required=True,
            inflected_only_flags="BL",
            frequency=("ru",),
        ),
        Language(
            code="uk",
            dictionary="uk_UA",
            alphabet="абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
            vowels="аеєиіїоуюя",
            # Gerunds and active participles; possessives in -ів/-їв, which are spelled as genitive plurals.
            inflected=r"(учий|ючий|ачий|ячий|вши|вшись|ів|їв)$",
            # Entries without flags are pronouns, numerals and inflected forms (будемо, дітей, вами).
            flags_required=True,
            frequency=("uk",),
        ),
        Language(
            code="lt",
            dictionary="lt_LT",
            alphabet="aąbcčdeęėfghiįyjklmnoprsštuųūvzž",
            vowels="aąeęėiįyouųū",
            # Present and past tense forms (E, P, Y, and O/R for their reflexive forms) are listed beside the
            # infinitive; entries without flags are pronoun forms, abbreviations and the like (abiejose, akad, tave).
            inflected_flags="EPYOR",
            flags_required=True,
            frequency=("lt",),
            # Lithuanian lemmas are rarer in text than their other forms, which the dictionary does not list.
            inflections=(
                ("as", ("o", "ui", "ą", "u", "e", "ai", "ų", "ams", "us", "uose", "a", "i", "os")),
                ("is", ("io", "iui", "į", "iu", "yje", "iai", "ių", "ius", "ies", "imi", "ys")),
                ("ys", ("io", "iui", "į", "iu", "yje", "iai", "ių", "ius")),
                ("us", ("aus", "ų", "ui", "umi", "uje", "ūs", "ios", "ią", "i", "ūs")),
                ("a", ("os", "ai", "ą", "oje", "ų", "oms", "as", "omis", "ose")),
                ("ė", ("ės", "ei", "ę", "e", "ėje", "ių", "es", "ėms")),
                ("ti", ("s", "tų", "siu", "sime", "k", "kite", "davo", "damas")),
            ),
        ),
    )
}


def dictionary_entries(language: Language, directory: Path) -> Iterator[tuple[str, str]]:
    """The (stem, flags) entries of the language's Hunspell dictionary, in the dictionary's own encoding."""
    aff = directory / f"{language.dictionary}.aff"
    encoding = "utf-8"
    for line in aff.read_bytes().decode("latin-1").splitlines():
        if line.startswith("SET "):
            encoding = line.split()[1]
            break
    lines = (directory / f"{language.dictionary}.dic").read_bytes().decode(encoding).splitlines()
    for line in lines[1:]:  # the first line is the entry count
        entry = line.split()[0] if line.strip() else ""
        stem, _, flags = entry.partition("/")
        if stem:
            yield unicodedata.normalize("NFC", stem), flags


def base_forms(language: Language, directory: Path) -> set[str]:
    """The dictionary's base forms that fit a codename: 4-8 lowercase letters of the alphabet with a vowel."""
    shape = re.compile(f"[{language.alphabet}]{{{MIN_LETTERS},{MAX_LETTERS}}}")
    vowel = re.compile(f"[{language.vowels}]")
    inflected = re.compile(language.inflected)
    words = set()
    for stem, flags in dictionary_entries(language, directory):
        if not shape.fullmatch(stem) or not vowel.search(stem) or inflected.search(stem):
            continue
        if language.flags_required and (not flags or set(flags) <= set(language.inflected_only_flags)):
            continue
        if language.lemma_flags and not (
            set(flags) & set(language.lemma_flags)
            or (stem.endswith(language.lemma_endings) and set(flags) & set(language.lemma_ending_flags))
        ):
            continue
        if language.inflected_flags and set(flags) & set(language.inflected_flags) and not stem.endswith("ti"):
            continue
        words.add(stem)
    return words


def deny_list(language: Language) -> tuple[set[str], tuple[str, ...]]:
    """The reviewed deny list: whole words, and prefixes written with a trailing '*'."""
    path = HERE / "deny" / f"{language.code}.txt"
    words: set[str] = set()
    prefixes: list[str] = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = unicodedata.normalize("NFC", line.split("#", 1)[0].strip().casefold())
            for item in entry.split():
                if item.endswith("*"):
                    prefixes.append(item[:-1])
                else:
                    words.add(item)
    return words, tuple(prefixes)


def spelled_alike(word: str, language: str) -> set[str]:
    """How a Belarusian word may be spelled in Russian or Ukrainian (akanye, dz/d, c/t, adjective endings, ...).

    Over-generating is harmless: a form that is no word has no frequency.
    """
    options: list[list[str]] = [[""]]
    letters = BELARUSIAN_LETTERS[language]
    index = 0
    while index < len(word):
        if word.startswith("дз", index):
            options.append(["дз", "д", "з"])
            index += 2
            continue
        options.append(letters.get(word[index], [word[index]]))
        index += 1
    if word[-1] in "ыі":
        options.append(["", "й"])
    forms = {""}
    for choices in options[1:]:
        forms = {form + choice for form in forms for choice in choices}
        if len(forms) > 4096:
            break
    return forms


BELARUSIAN_LETTERS = {
    "ru": {"а": ["а", "о"], "я": ["я", "е"], "э": ["е", "э"], "ў": ["в"], "і": ["и"], "ц": ["ц", "т"], "ё": ["ё", "е"]},
    "uk": {
        "а": ["а", "о"],
        "я": ["я", "е", "і"],
        "э": ["е"],
        "ў": ["в"],
        "ы": ["и"],
        "і": ["і", "и"],
        "ц": ["ц", "т"],
        "е": ["е", "є", "і"],
        "ё": ["ьо", "йо", "е"],
    },
}


def frequencies(language: Language, words: Iterable[str]) -> dict[str, float]:
    """Each word's Zipf frequency (0 when unknown) from wordfreq; for Belarusian the best of its spelled-alikes."""
    try:
        import wordfreq
    except ImportError:
        sys.exit(f"wordfreq {WORDFREQ_VERSION} is needed to rank the words: see this script's docstring.")
    found = importlib.metadata.version("wordfreq")
    if found != WORDFREQ_VERSION:
        sys.exit(f"wordfreq {WORDFREQ_VERSION} is needed (found {found}): the ranking depends on it.")
    tables = {code: wordfreq.get_frequency_dict(code, "best") for code in language.frequency}
    scores = {}
    for word in words:
        best = max(tables[code].get(word, 0.0) for code in language.frequency)
        if language.spelled_alike:
            best = max(
                [best]
                + [tables[code].get(form, 0.0) for code in language.frequency for form in spelled_alike(word, code)]
            )
        for ending, replacements in language.inflections:
            if word.endswith(ending):
                stem = word[: -len(ending)]
                best += sum(
                    tables[code].get(stem + other, 0.0) for code in language.frequency for other in replacements
                )
                break
        scores[word] = round(math.log10(best) + 9, 2) if best else 0.0
    return scores


def skeleton(word: str) -> str:
    """The word without diacritics (ё -> е, й -> и, ą -> a, š -> s): words alike so are too easily confused."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def one_letter_variants(word: str) -> Iterator[str]:
    """Patterns matching the word with any one letter replaced."""
    for index in range(len(word)):
        yield word[:index] + "?" + word[index + 1 :]


def select(language: Language, directory: Path, size: int = SIZE) -> list[tuple[str, float]]:
    """At most `size` most common allowed base forms in use, skipping near duplicates of words already kept."""
    denied, denied_prefixes = deny_list(language)
    candidates = {
        word for word in base_forms(language, directory) if word not in denied and not word.startswith(denied_prefixes)
    }
    scores = frequencies(language, candidates)
    kept: list[tuple[str, float]] = []
    skeletons: set[str] = set()
    patterns: set[str] = set()
    for word in sorted(candidates, key=lambda word: (-scores[word], word)):
        if scores[word] <= 0:
            break  # no evidence that the word is in use: the list stays shorter instead
        variants = set(one_letter_variants(skeleton(word)))
        if skeleton(word) in skeletons or variants & patterns:
            continue
        kept.append((word, scores[word]))
        skeletons.add(skeleton(word))
        patterns |= variants
        if len(kept) == size:
            break
    return kept


def rendered(words: Iterable[str]) -> str:
    return "".join(f"{word}\n" for word in sorted(words))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("languages", nargs="*", help=f"some of {', '.join(sorted(LANGUAGES))} (default: all)")
    parser.add_argument("--dictionaries", type=Path, default=HUNSPELL, help="the Hunspell .dic/.aff directory")
    parser.add_argument("--check", action="store_true", help="compare with the shipped lists, write nothing")
    parser.add_argument("--show", type=int, default=0, help="print the N least common kept words with their scores")
    arguments = parser.parse_args()
    unknown = set(arguments.languages) - set(LANGUAGES)
    if unknown:
        parser.error(f"no such language: {', '.join(sorted(unknown))}")
    differing = []
    for code in arguments.languages or sorted(LANGUAGES):
        language = LANGUAGES[code]
        kept = select(language, arguments.dictionaries)
        words = [word for word, _ in kept]
        lowest = min(score for _, score in kept)
        print(
            f"{code}: {len(words)} words, {math.log2(len(words)):.2f} bits a word, lowest Zipf frequency {lowest:.2f}",
            file=sys.stderr,
        )
        for word, score in kept[-arguments.show :] if arguments.show else ():
            print(f"{score:.2f}\t{word}")
        target = OUTPUT / f"{code}.txt"
        if arguments.check:
            if not target.is_file() or target.read_text(encoding="utf-8") != rendered(words):
                differing.append(code)
        elif not arguments.show:
            target.write_text(rendered(words), encoding="utf-8")
    if differing:
        print(f"differs from a rebuild: {', '.join(differing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
