"""Sealed searches: a name travels in a URL only as a token that only its user, on its page, opens in time."""

from __future__ import annotations

import base64
import datetime
import uuid

import pytest
import time_machine

from asylon.common.sealed_search import max_age_seconds, open_search, seal_search

ALICE = uuid.uuid4()
BOB = uuid.uuid4()
TERMS = {"q": "Сяргей Іваноў", "number": "MP1234567"}
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def test_round_trip_opens_to_the_terms_and_shows_none_of_them():
    token = seal_search(user_id=ALICE, scope="people", terms=TERMS)
    assert open_search(user_id=ALICE, scope="people", token=token) == TERMS
    assert token.isascii() and not set(token) - set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    for value in ("Сяргей", "Іваноў", "MP1234567", "Siarhei"):
        assert value not in token


def test_the_same_search_seals_to_a_different_token_each_time():
    """A fresh nonce each time: equal tokens in two logs do not reveal the same name was searched."""
    assert seal_search(user_id=ALICE, scope="cases", terms={"q": "Ivanou"}) != seal_search(
        user_id=ALICE, scope="cases", terms={"q": "Ivanou"}
    )


def test_another_user_cannot_open_it():
    token = seal_search(user_id=ALICE, scope="cases", terms={"q": "Ivanou"})
    assert open_search(user_id=BOB, scope="cases", token=token) is None


def test_another_page_cannot_open_it():
    token = seal_search(user_id=ALICE, scope="cases", terms={"q": "Ivanou"})
    assert open_search(user_id=ALICE, scope="people", token=token) is None


def test_a_tampered_token_is_refused():
    token = seal_search(user_id=ALICE, scope="cases", terms={"q": "Ivanou"})
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    for position in (0, 7, len(raw) // 2, len(raw) - 1):
        flipped = raw.copy()
        flipped[position] ^= 0x01
        forged = base64.urlsafe_b64encode(bytes(flipped)).rstrip(b"=").decode()
        assert open_search(user_id=ALICE, scope="cases", token=forged) is None
    assert open_search(user_id=ALICE, scope="cases", token=token[:-4]) is None


def test_an_expired_token_is_refused():
    with time_machine.travel(START, tick=False):
        token = seal_search(user_id=ALICE, scope="cases", terms={"q": "Ivanou"})
    age = datetime.timedelta(seconds=max_age_seconds())
    assert age == datetime.timedelta(hours=12)  # the session maximum
    with time_machine.travel(START + age - datetime.timedelta(minutes=1), tick=False):
        assert open_search(user_id=ALICE, scope="cases", token=token) == {"q": "Ivanou"}
    with time_machine.travel(START + age + datetime.timedelta(minutes=1), tick=False):
        assert open_search(user_id=ALICE, scope="cases", token=token) is None


def test_a_token_from_the_future_is_refused():
    with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
        token = seal_search(user_id=ALICE, scope="cases", terms={"q": "Ivanou"})
    with time_machine.travel(START, tick=False):
        assert open_search(user_id=ALICE, scope="cases", token=token) is None


@pytest.mark.parametrize(
    "token",
    ["", "x", "not base64 at all!", "====", "A" * 5000, "Сяргей", "\x00", "AAAA", "..%2F..%2F", "a" * 51],
)
def test_undecodable_tokens_are_refused(token):
    assert open_search(user_id=ALICE, scope="cases", token=token) is None


def test_long_terms_are_cut_to_the_longest_query():
    token = seal_search(user_id=ALICE, scope="cases", terms={"q": "я" * 1000})
    assert open_search(user_id=ALICE, scope="cases", token=token) == {"q": "я" * 200}
