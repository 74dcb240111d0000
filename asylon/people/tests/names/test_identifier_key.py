"""Document numbers meet whatever the spacing, case and alphabet of their letters."""

import pytest

from asylon.people.names import identifier_key


@pytest.mark.parametrize(
    "typed",
    [
        "MP1234567",
        "МР 1234567",
        "мр-123-45-67",
        "MP 123.45.67",
        "Mp\u00a01234567",
        "ＭＰ１２３４５６７",
        "MP\u20141234567",
    ],
)
def test_spellings_of_one_document_number_meet(typed):
    assert identifier_key(typed) == "MP1234567"


def test_greek_capitals_that_look_latin_are_latin():
    assert identifier_key("\u039a\u0397 7654321") == "KH7654321"


def test_letters_and_digits_are_never_merged():
    assert identifier_key("MP0123") != identifier_key("MPO123")
    assert identifier_key("З123") != identifier_key("3123")


def test_cyrillic_letters_without_a_latin_look_alike_stay():
    assert identifier_key("IV-МЮ 123456") == "IVMЮ123456"
