"""Fictional names: real given names and patronymics, invented surnames from plausible morphemes.

Surnames are a syllable root (letters spelled alike in Belarusian, Russian and Ukrainian Cyrillic)
plus a national suffix, so the same family name has parallel Belarusian, Russian and Ukrainian forms
and no pool entry is a real public figure. Latin spellings come from the project's transliteration
schemes (`asylon.people.names.transliterate`), as they would appear in passports.
"""

from __future__ import annotations

import functools
import random
import unicodedata
from dataclasses import dataclass
from typing import Any

from asylon.people.names import transliterate

BELARUSIAN, RUSSIAN, UKRAINIAN = "be", "ru", "uk"
LANGUAGE_OF_CITIZENSHIP = {"BY": BELARUSIAN, "RU": RUSSIAN, "UA": UKRAINIAN}
PASSPORT_SCHEME = {"BY": "belarusian_passport", "RU": "russian_icao", "UA": "ukrainian_passport"}
OLDER_DOCUMENT_SCHEME = "russian_bgn_pcgn"

# (Belarusian, Russian, Ukrainian) forms of common given names.
MALE_GIVEN = (
    ("Аляксандр", "Александр", "Олександр"),
    ("Сяргей", "Сергей", "Сергій"),
    ("Дзмітрый", "Дмитрий", "Дмитро"),
    ("Андрэй", "Андрей", "Андрій"),
    ("Павел", "Павел", "Павло"),
    ("Мікалай", "Николай", "Микола"),
    ("Уладзімір", "Владимир", "Володимир"),
    ("Ягор", "Егор", "Єгор"),
    ("Максім", "Максим", "Максим"),
    ("Іван", "Иван", "Іван"),
    ("Арцём", "Артём", "Артем"),
    ("Віктар", "Виктор", "Віктор"),
    ("Юрый", "Юрий", "Юрій"),
    ("Алег", "Олег", "Олег"),
    ("Ілья", "Илья", "Ілля"),
    ("Кірыл", "Кирилл", "Кирило"),
    ("Міхаіл", "Михаил", "Михайло"),
    ("Дзяніс", "Денис", "Денис"),
    ("Раман", "Роман", "Роман"),
    ("Яўген", "Евгений", "Євген"),
    ("Вадзім", "Вадим", "Вадим"),
    ("Ігар", "Игорь", "Ігор"),
    ("Васіль", "Василий", "Василь"),
    ("Антон", "Антон", "Антон"),
    ("Мікіта", "Никита", "Микита"),
    ("Багдан", "Богдан", "Богдан"),
    ("Станіслаў", "Станислав", "Станіслав"),
    ("Глеб", "Глеб", "Гліб"),
)
FEMALE_GIVEN = (
    ("Вольга", "Ольга", "Ольга"),
    ("Наталля", "Наталья", "Наталія"),
    ("Ганна", "Анна", "Ганна"),
    ("Алена", "Елена", "Олена"),
    ("Таццяна", "Татьяна", "Тетяна"),
    ("Марыя", "Мария", "Марія"),
    ("Кацярына", "Екатерина", "Катерина"),
    ("Юлія", "Юлия", "Юлія"),
    ("Святлана", "Светлана", "Світлана"),
    ("Ірына", "Ирина", "Ірина"),
    ("Анастасія", "Анастасия", "Анастасія"),
    ("Вераніка", "Вероника", "Вероніка"),
    ("Ксенія", "Ксения", "Ксенія"),
    ("Аліна", "Алина", "Аліна"),
)
# Patronymics from a father's name: ((be, ru, uk) for a son, (be, ru, uk) for a daughter).
PATRONYMICS = (
    (("Аляксандравіч", "Александрович", "Олександрович"), ("Аляксандраўна", "Александровна", "Олександрівна")),
    (("Сяргеевіч", "Сергеевич", "Сергійович"), ("Сяргееўна", "Сергеевна", "Сергіївна")),
    (("Віктаравіч", "Викторович", "Вікторович"), ("Віктараўна", "Викторовна", "Вікторівна")),
    (("Мікалаевіч", "Николаевич", "Миколайович"), ("Мікалаеўна", "Николаевна", "Миколаївна")),
    (("Уладзіміравіч", "Владимирович", "Володимирович"), ("Уладзіміраўна", "Владимировна", "Володимирівна")),
    (("Іванавіч", "Иванович", "Іванович"), ("Іванаўна", "Ивановна", "Іванівна")),
    (("Юр'евіч", "Юрьевич", "Юрійович"), ("Юр'еўна", "Юрьевна", "Юріївна")),
    (("Анатолевіч", "Анатольевич", "Анатолійович"), ("Анатолеўна", "Анатольевна", "Анатоліївна")),
    (("Васільевіч", "Васильевич", "Васильович"), ("Васільеўна", "Васильевна", "Василівна")),
    (("Пятровіч", "Петрович", "Петрович"), ("Пятроўна", "Петровна", "Петрівна")),
    (("Міхайлавіч", "Михайлович", "Михайлович"), ("Міхайлаўна", "Михайловна", "Михайлівна")),
    (("Андрэевіч", "Андреевич", "Андрійович"), ("Андрэеўна", "Андреевна", "Андріївна")),
    (("Леанідавіч", "Леонидович", "Леонідович"), ("Леанідаўна", "Леонидовна", "Леонідівна")),
    (("Генадзевіч", "Геннадьевич", "Геннадійович"), ("Генадзеўна", "Геннадьевна", "Геннадіївна")),
    (("Яўгенавіч", "Евгеньевич", "Євгенович"), ("Яўгенаўна", "Евгеньевна", "Євгенівна")),
    (("Ігаравіч", "Игоревич", "Ігорович"), ("Ігараўна", "Игоревна", "Ігорівна")),
)

# Surname roots: an onset and a coda spelled alike in the three alphabets.
ROOT_ONSETS = (
    "Ба",
    "Ва",
    "Га",
    "Да",
    "За",
    "Ка",
    "Ла",
    "Ма",
    "На",
    "Па",
    "Ра",
    "Са",
    "Та",
    "Ха",
    "Ча",
    "Бу",
    "Гу",
    "Ку",
    "Лу",
    "Му",
    "Шу",
    "Жу",
    "Цу",
    "Бро",
    "Кро",
    "Тро",
    "Гла",
    "Пла",
    "Сла",
    "Бра",
    "Дра",
    "Стра",
)
ROOT_CODAS = (
    "бут",
    "вак",
    "гуш",
    "дул",
    "жак",
    "кун",
    "луж",
    "нач",
    "пуш",
    "рук",
    "сан",
    "тур",
    "хал",
    "цук",
    "чар",
    "шук",
    "воб",
    "гал",
    "жум",
    "заб",
    "кул",
    "лап",
    "нок",
    "пат",
    "суб",
    "хут",
    "цал",
    "чуп",
    "шан",
)


@dataclass(frozen=True, slots=True)
class Suffix:
    """A surname ending in the three languages, (male, female) each."""

    be: tuple[str, str]
    ru: tuple[str, str]
    uk: tuple[str, str]

    def form(self, language: str, female: bool) -> str:
        forms: tuple[str, str] = getattr(self, language)
        return forms[1] if female else forms[0]


EVICH = Suffix(("евіч", "евіч"), ("евич", "евич"), ("евич", "евич"))
OVICH = Suffix(("овіч", "овіч"), ("ович", "ович"), ("ович", "ович"))
ONAK = Suffix(("ёнак", "ёнак"), ("ёнок", "ёнок"), ("ьонок", "ьонок"))
KA = Suffix(("ка", "ка"), ("ко", "ко"), ("ко", "ко"))
CHYK = Suffix(("чык", "чык"), ("чик", "чик"), ("чик", "чик"))
SKI = Suffix(("скі", "ская"), ("ский", "ская"), ("ський", "ська"))
OW = Suffix(("оў", "ова"), ("ов", "ова"), ("ов", "ова"))
IN = Suffix(("ін", "іна"), ("ин", "ина"), ("ін", "іна"))
ENKA = Suffix(("енка", "енка"), ("енко", "енко"), ("енко", "енко"))
UK = Suffix(("ук", "ук"), ("ук", "ук"), ("ук", "ук"))
CHUK = Suffix(("чук", "чук"), ("чук", "чук"), ("чук", "чук"))

SUFFIX_WEIGHTS: dict[str, tuple[tuple[Suffix, ...], tuple[int, ...]]] = {
    "BY": ((EVICH, OVICH, ONAK, KA, CHYK, SKI, OW, UK, ENKA), (3, 2, 2, 2, 1, 2, 1, 1, 1)),
    "RU": ((OW, IN, SKI, EVICH, ENKA), (5, 3, 2, 1, 1)),
    "UA": ((ENKA, UK, CHUK, SKI, KA, OW), (4, 3, 2, 2, 1, 1)),
}
LANGUAGE_INDEX = {BELARUSIAN: 0, RUSSIAN: 1, UKRAINIAN: 2}


@dataclass(frozen=True, slots=True)
class FullName:
    """A name in one Cyrillic spelling."""

    given_name: str
    family_name: str
    patronymic: str


@functools.cache
def latin(text: str, scheme: str) -> str:
    """A passport-style Latin spelling (cached: the pools are small, the same words recur)."""
    return transliterate(text, scheme)


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters of a Latin spelling, for fictional e-mail addresses."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if char.isascii() and char.isalpha()).lower()


def _in_language(forms: tuple[str, str, str], language: str) -> str:
    return forms[LANGUAGE_INDEX[language]]


def full_name(rng: random.Random, citizenship: str, female: bool) -> dict[str, FullName]:
    """A fictional person's name in every Cyrillic form that matters for their citizenship.

    Returns the forms by language; the first is the one their national documents use.
    """
    given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
    patronymic = rng.choice(PATRONYMICS)[1 if female else 0]
    root = rng.choice(ROOT_ONSETS) + rng.choice(ROOT_CODAS)
    suffixes, weights = SUFFIX_WEIGHTS[citizenship]
    suffix = rng.choices(suffixes, weights)[0]
    while suffix.form(RUSSIAN, female)[0] == root[-1]:  # no doubled letter at the join (Нанок-ко)
        suffix = rng.choices(suffixes, weights)[0]
    native = LANGUAGE_OF_CITIZENSHIP[citizenship]
    languages = [native] if native == RUSSIAN else [native, RUSSIAN]
    return {
        language: FullName(
            given_name=_in_language(given, language),
            family_name=root + suffix.form(language, female),
            patronymic=_in_language(patronymic, language),
        )
        for language in languages
    }


def name_variants(rng: random.Random, citizenship: str, forms: dict[str, FullName]) -> list[dict[str, Any]]:
    """Other spellings as stored in `Person.name_variants`: other Cyrillic forms, the Latin spelling of the
    national passport, and for some an older Russian-based spelling (visas, older documents)."""
    native = LANGUAGE_OF_CITIZENSHIP[citizenship]
    variants: list[dict[str, Any]] = [
        {"script": "Cyrl", "language": language, **_parts(name)}
        for language, name in forms.items()
        if language != native
    ]
    own = forms[native]
    scheme = PASSPORT_SCHEME[citizenship]
    variants.append(
        {
            "script": "Latn",
            "scheme": scheme,
            "given_name": latin(own.given_name, scheme),
            "family_name": latin(own.family_name, scheme),
        }
    )
    russian = forms[RUSSIAN]
    if rng.random() < 0.3:
        variants.append(
            {
                "script": "Latn",
                "scheme": OLDER_DOCUMENT_SCHEME,
                "given_name": latin(russian.given_name, OLDER_DOCUMENT_SCHEME),
                "family_name": latin(russian.family_name, OLDER_DOCUMENT_SCHEME),
            }
        )
    return variants


def passport_spelling(variants: list[dict[str, Any]], citizenship: str) -> dict[str, Any]:
    """The Latin variant as the national passport writes it."""
    scheme = PASSPORT_SCHEME[citizenship]
    return next(variant for variant in variants if variant.get("scheme") == scheme)


def _parts(name: FullName) -> dict[str, str]:
    return {"given_name": name.given_name, "family_name": name.family_name, "patronymic": name.patronymic}
