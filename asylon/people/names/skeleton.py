"""The phonetic skeleton: one spelling for the Cyrillic and Latin forms of a Slavic name.

Both readers (``cyrillic``, ``latin``) produce phoneme symbols: vowels ``a e i o u``, the glide
``j`` (й and the iotation of я ю е ё), ``'`` for a soft or hard sign or an apostrophe, ``Z`` ж,
``S`` ш, ``C`` ч, ``x`` х, ``ts`` ц, ``SC`` щ, and the other consonants as themselves. The rules
below then merge what the three languages and the transliteration systems spell differently
(Belarusian akanye and yakanye, -оў/-ов, soft consonants, the glides; ``w`` is the non-syllabic ў),
and keep what tells names apart: the consonants, and the final vowel that marks gender
(Ivanov/Ivanova, Yan/Yana).
docs/names.md lists each rule with its examples and the collisions it accepts.
"""

from __future__ import annotations

import re

from .cyrillic import cyrillic_phonemes
from .latin import latin_phonemes
from .scripts import (
    CYRILLIC_LOOKALIKES_TO_LATIN,
    LATIN_LOOKALIKES_TO_CYRILLIC,
    is_cyrillic,
    script_runs,
    written_in_cyrillic,
)

_CONSONANT = "[bvgdzZklmnprsStfxCw]"
_RULES = [
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"'(?=[aeiou])", "j"),  # a sign or apostrophe before a vowel iotates it: Il'in, Mar'iana
        (r"'", ""),  # elsewhere it only softens, and softness is not kept
        (r"[szZ]C", "SC"),  # сч, зч, жч sound as щ; Belarusian шч is щ already
        (r"([bvgdzZklmnprsStfxCju])\1+", r"\1"),  # a doubled letter is one sound: Natallia, Hanna/Anna
        (r"i(?=[aeou])", "j"),  # i before a vowel is a glide: Siarhei, Iurii, Maria
        (r"jj+", "j"),  # Natal'ya = Natalya
        (r"(?<=[aeiou])[ij]+", "j"),  # after a vowel, i й ї are one glide: Sergei = Сергей, Raisa = Раиса,
        # Kyiv = Київ, Yurii = Yuriy
        (r"ji", "i"),  # ї elsewhere, ьи: Yizhakevych = Izhakevych, Ilyin = Ilin
        (rf"(?:^|(?<={_CONSONANT}))ij(?=[aeiou])", "j"),  # Мария = Марья, Dmitriyev = Dmitriev
        (r"je", "e"),  # Yegor = Egor, Siarhiej = Siarhei, Sergeyev = Sergeev
        (r"dz(?=[iej])", "d"),  # Belarusian дз for soft д: Дзяніс = Денис, Дзераза
        (r"ts(?=[ij])", "t"),  # Belarusian ц for soft т: Ціханоўская = Тихановская, Тацяна = Татьяна
        (r"jo", "e"),  # ё is often written е: Fyodor = Fedor, Korolyov = Korolev
        (rf"(?<={_CONSONANT})ja(?=.)", "e"),  # Belarusian yakanye: Сяргей = Сергей, Пятроў = Петров
        (rf"(?<={_CONSONANT})ju", "u"),  # Liudmila = Ludmila
        (r"(?:(?<=[SZC])|(?<=ts))e(?=.)", "a"),  # Belarusian hard ш ж ч ц: Шаўчэнка = Шевченко, Зайцаў
        (r"(?<=[aeiou])[vu](?=[^aeiouj]|$)", "w"),  # в and у after a vowel, before a consonant, are ў:
        # Ivanov = Ivanou = Ivanoŭ, Pavlov = Paulau, Sharkawshchyna
        (r"w+(?=v)", ""),  # ў before в is not heard
        (r"ww+", "w"),
        (r"o(?=.)", "a"),  # Belarusian akanye: Sakalou = Sokolov; a final o stays (Petro, Pavlo)
        (r"ij$", "i"),  # -ий -ій -ый -ski: Zghurskyi = Zgurskii = Згурскі, Yury = Yurii
        (rf"(?<={_CONSONANT}{_CONSONANT})aja$", "a"),  # Russian -ская = Ukrainian -ська
        # Belarusian -ка = Ukrainian and Russian -ко: Lukashenka = Lukashenko, Babaryka = Babariko, Boika;
        # not after other consonants, where -ка is a feminine ending (Zghurska, Hladka)
        (r"(?<=[aeiounjSZC])ka$", "ko"),
    )
]
_RENDER = str.maketrans({"S": "sh", "Z": "zh", "C": "ch", "x": "kh"})


def _phonemes(token: str) -> str:
    # A stray look-alike (a Cyrillic с typed in a Latin word) is read in the word's main script;
    # any other letter of the minority script is read by its own reader.
    if written_in_cyrillic(token):
        token = token.translate(LATIN_LOOKALIKES_TO_CYRILLIC)
    else:
        token = token.translate(CYRILLIC_LOOKALIKES_TO_LATIN)
    return "".join(cyrillic_phonemes(run) if is_cyrillic(run[0]) else latin_phonemes(run) for run in script_runs(token))


def skeleton(token: str) -> str:
    """The phonetic skeleton of one name word, in lowercase ASCII (letters of other scripts pass through)."""
    phonemes = _phonemes(token)
    for pattern, replacement in _RULES:
        phonemes = pattern.sub(replacement, phonemes)
    return phonemes.translate(_RENDER)
