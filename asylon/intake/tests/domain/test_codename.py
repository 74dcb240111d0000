"""Codenames: at least 80 bits from the shipped lists, a lookup key stable under normalisation, Argon2id verifiers."""

import math
import re

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
