"""Each scheme renders its recorded vectors; the Russian schemes come from iuliia."""

import pytest

from asylon.people.names import SCHEME_NAMES, transliterate
from asylon.people.names.schemes import TABLE_SCHEMES, scheme_vectors

TABLE_VECTORS = [(scheme, cyrillic, latin) for scheme in TABLE_SCHEMES for cyrillic, latin in scheme_vectors(scheme)]
# From the ICAO Doc 9303 part 3 table, the BGN/PCGN 1947 Russian system and ISO 9:1995 (GOST 7.79-2000
# system A), including iuliia's own samples.
LIBRARY_VECTORS = [
    ("russian_icao", "Сергей", "Sergei"),
    ("russian_icao", "Юрий", "Iurii"),
    ("russian_icao", "Щукин", "Shchukin"),
    ("russian_icao", "Фёдор", "Fedor"),
    ("russian_icao", "Объезд", "Obieezd"),
    ("russian_icao", "Наталья", "Natalia"),
    ("russian_icao", "ЮЛИЯ", "IULIIA"),
    ("russian_bgn_pcgn", "Сергей", "Sergey"),
    ("russian_bgn_pcgn", "Юрий", "Yuriy"),
    ("russian_bgn_pcgn", "Фёдор", "Fëdor"),
    ("russian_bgn_pcgn", "Ёлкин", "Yëlkin"),
    ("russian_bgn_pcgn", "Наталья", "Natal’ya"),
    ("russian_bgn_pcgn", "Объезд", "Ob”yezd"),
    ("iso9", "Щукин", "Ŝukin"),
    ("iso9", "Юлия", "Ûliâ"),
    ("iso9", "Фёдор", "Fëdor"),
    ("iso9", "Хабаров", "Habarov"),
    ("iso9", "Объезд", "Obʺezd"),
]


def test_every_scheme_has_vectors_here():
    assert {scheme for scheme, _, _ in TABLE_VECTORS + LIBRARY_VECTORS} == set(SCHEME_NAMES)


@pytest.mark.parametrize(("scheme", "cyrillic", "latin"), TABLE_VECTORS + LIBRARY_VECTORS)
def test_scheme_vector(scheme, cyrillic, latin):
    assert transliterate(cyrillic, scheme) == latin


def test_text_around_the_words_passes_through():
    assert transliterate("Іваноў-Пятроў, 1990 (Мінск)", "belarusian_passport") == "Ivanou-Piatrou, 1990 (Minsk)"


def test_y_forms_of_the_ukrainian_scheme_apply_only_at_the_start_of_a_word():
    assert transliterate("Яна Маяна", "ukrainian_passport") == "Yana Maiana"


def test_belarusian_passport_uses_y_forms_after_vowels_and_i_forms_after_consonants():
    assert transliterate("Яўген Ціханоўская Марыя", "belarusian_passport") == "Yauhen Tsikhanouskaya Maryia"


def test_an_unknown_scheme_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="belarusian_passport"):
        transliterate("Сяргей", "belarusian")
