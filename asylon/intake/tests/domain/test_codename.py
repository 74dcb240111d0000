"""Codenames: at least 80 bits from the shipped lists, a lookup key stable under normalisation, Argon2id verifiers."""

import math
import re
import unicodedata

import pytest
from argon2 import PasswordHasher, Type, extract_parameters

from asylon.config.settings import base
from asylon.intake import codename as codenames


def test_the_english_list_is_the_eff_large_wordlist():
    words = codenames.wordlist("en")
    assert len(words) == 7776 == len(set(words))
    assert (words[0], words[-1]) == ("abacus", "zoom")
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)?", word) for word in words)


@pytest.mark.parametrize("language", ["en", "be", "ru", "uk", "lt", "xx", ""])
def test_every_language_gets_at_least_80_bits_computed_from_the_shipped_list_size(language):
    words = codenames.wordlist(language or "en")
    count = codenames.words_needed(len(words))
    assert count * math.log2(len(words)) >= 80
    assert codenames.entropy_bits(language or "en") >= 80
    codename = codenames.new_codename(language)
    assert codename == codenames.normalised(codename)
    # Words may hold a dash themselves ("t-shirt"), so count by drawing from the list rather than splitting.
    assert len(codename.split("-")) >= count
    assert all(part for part in codename.split("-"))


# The lists built by scripts/wordlists/build.py from Debian's Hunspell dictionaries (wordlists/README.md).
SHIPPED_ALPHABETS = {
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
    "ru": "абвгдежзийклмнопрстуфхцчшщъыьэюя",  # without ё, which is often typed as е
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "lt": "aąbcčdeęėfghiįyjklmnoprsštuųūvzž",
}


@pytest.mark.parametrize("language", sorted(SHIPPED_ALPHABETS))
def test_each_shipped_list_is_sorted_unique_nfc_words_of_its_alphabet(language):
    path = codenames.WORDLISTS / f"{language}.txt"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert text.endswith("\n") and "\r" not in text
    assert 2048 <= len(lines) <= 7776
    assert lines == sorted(set(lines))  # sorted and unique, one word a line, no blank line
    shape = re.compile(f"[{SHIPPED_ALPHABETS[language]}]{{4,8}}")
    assert [line for line in lines if not shape.fullmatch(line)] == []
    assert all(unicodedata.normalize("NFC", line) == line == codenames.normalised(line) for line in lines)
    assert codenames.wordlist(language) == tuple(lines)


@pytest.mark.parametrize("language", sorted(SHIPPED_ALPHABETS))
def test_each_shipped_list_gives_at_least_80_bits_and_is_documented(language):
    size = len(codenames.wordlist(language))
    assert codenames.words_needed(size) * math.log2(size) >= 80
    assert codenames.entropy_bits(language) >= 80
    readme = (codenames.WORDLISTS / "README.md").read_text(encoding="utf-8")
    assert f"| `{language}.txt` | {size:,} |" in readme


@pytest.mark.parametrize("language", sorted(SHIPPED_ALPHABETS))
def test_a_codename_in_each_shipped_language_is_drawn_from_its_list(language):
    words = set(codenames.wordlist(language))
    codename = codenames.new_codename(language)
    parts = codename.split("-")
    assert len(parts) == codenames.words_needed(len(words))
    assert set(parts) <= words
    assert set(codenames.new_codename(f"{language}-{language.upper()}").split("-")) <= words  # a regional code


@pytest.mark.parametrize("language", sorted(SHIPPED_ALPHABETS))
def test_a_codename_in_each_shipped_language_is_found_however_it_is_typed(db, language):
    codename = codenames.new_codename(language)
    typed = [
        codename.upper().replace("-", " "),
        "  " + codename.title().replace("-", " \t ") + " ",
        unicodedata.normalize("NFD", codename.upper()).replace("-", "_"),  # combining marks: ё, й, ў, ė, š ...
        codename.replace("-", "\u2014"),
    ]
    for variant in typed:
        assert codenames.normalised(variant) == codename
        assert codenames.lookup_key(variant) == codenames.lookup_key(codename)
    verifier = codenames.make_verifier(codename)
    assert codenames.verify(verifier, typed[0])
    assert not codenames.verify(verifier, codename[:-1])


def test_english_codenames_have_seven_words():
    # ceil(80 / log2(7776)) = ceil(80 / 12.925) = 7 words: 90.5 bits.
    assert codenames.words_needed(7776) == 7
    assert round(codenames.entropy_bits("en"), 1) == 90.5


def test_codenames_are_drawn_fresh_each_time():
    drawn = {codenames.new_codename("en") for _ in range(200)}
    assert len(drawn) == 200


@pytest.mark.parametrize(
    "typed",
    [
        "Abacus-Zoom-Hunk-Dwelling-Ivy-Pouch-Smirk",
        "abacus zoom hunk dwelling ivy pouch smirk",
        "  ABACUS   ZOOM\thunk\ndwelling ivy pouch smirk  ",
        "abacus_zoom.hunk--dwelling__ivy. pouch-smirk",
        "ａｂａｃｕｓ-zoom-hunk-dwelling-ivy-pouch-smirk",  # fullwidth letters: NFKC
        "abacus\u2013zoom\u2014hunk\u2010dwelling-ivy-pouch-smirk",  # en, em and hyphen dashes
    ],
)
def test_the_lookup_key_is_stable_under_normalisation(db, typed):
    canonical = "abacus-zoom-hunk-dwelling-ivy-pouch-smirk"
    assert codenames.normalised(typed) == canonical
    assert codenames.lookup_key(typed) == codenames.lookup_key(canonical)
    assert re.fullmatch(r"[0-9a-f]{32}", codenames.lookup_key(typed))


def test_different_codenames_have_different_lookup_keys(db):
    assert codenames.lookup_key("abacus-zoom") != codenames.lookup_key("abacus-zoo")


def test_verifier_is_argon2id_and_accepts_only_its_codename(db):
    verifier = codenames.make_verifier("Abacus Zoom Hunk")
    assert verifier.startswith("$argon2id$")
    assert codenames.verify(verifier, "abacus-zoom-hunk")
    assert not codenames.verify(verifier, "abacus-zoom-hunt")
    assert not codenames.verify("garbage", "abacus-zoom-hunk")
    assert "abacus" not in verifier


def test_production_argon2_parameters_are_strong_and_used(settings):
    production = base.ASYLON_INTAKE_ARGON2
    assert production == {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}  # RFC 9106 low-memory profile
    settings.ASYLON_INTAKE_ARGON2 = production
    verifier = codenames.make_verifier("abacus-zoom-hunk-dwelling-ivy-pouch-smirk")
    parameters = extract_parameters(verifier)
    assert parameters.type is Type.ID
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (3, 65536, 4)
    assert parameters.salt_len >= 16 and parameters.hash_len >= 32
    assert codenames.verify(verifier, "Abacus Zoom Hunk Dwelling Ivy Pouch Smirk")
    assert not PasswordHasher(**production).check_needs_rehash(verifier)
