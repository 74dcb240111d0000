"""The pieces `asylon keys status` is built from: prefix parsing, tallies, key history and ages."""

from __future__ import annotations

import datetime

from asylon.common.crypto.inventory import key_id_from_prefix, tally_prefixes
from asylon.common.crypto.key_history import history_path, read_history, record_keys
from asylon.ops.management.commands.keys import age

CREATED = datetime.datetime(2025, 1, 10, 8, 0, tzinfo=datetime.UTC)


def test_a_tink_prefix_gives_the_big_endian_key_id():
    assert key_id_from_prefix(bytes([0x01, 0x12, 0x34, 0x56, 0x78])) == 0x12345678


def test_values_without_a_tink_prefix_have_no_key_id():
    assert key_id_from_prefix(b"Alena") is None  # plaintext
    assert key_id_from_prefix(bytes([0x01, 0x12])) is None  # too short
    assert key_id_from_prefix(bytes([0x00, 0x12, 0x34, 0x56, 0x78])) is None  # raw or legacy output prefix


def test_tally_counts_per_key_and_sets_unrecognised_values_apart():
    inventory = tally_prefixes(
        "people.person.given_name",
        [(bytes([1, 0, 0, 0, 7]), 3), (bytes([1, 0, 0, 0, 9]), 2), (b"plain", 1), (bytes([1, 0, 0, 0, 7]), 1)],
    )
    assert inventory.ciphertexts_by_key == {7: 4, 9: 2}
    assert inventory.unrecognised == 1
    assert inventory.under_keys_other_than(7) == 2


def test_key_history_records_creation_and_destruction_in_a_private_file(tmp_path):
    record_keys(tmp_path, "field", created=[11, 12], at=CREATED)
    record_keys(tmp_path, "field", destroyed=[11], at=CREATED + datetime.timedelta(days=3))

    history = read_history(tmp_path, "field")

    assert history[11].created_at == CREATED
    assert history[11].destroyed_at == CREATED + datetime.timedelta(days=3)
    assert (history[12].created_at, history[12].destroyed_at) == (CREATED, None)
    assert history_path(tmp_path, "field").stat().st_mode & 0o777 == 0o600


def test_a_keyset_without_history_has_no_records(tmp_path):
    assert read_history(tmp_path, "field") == {}


def test_age_is_shown_in_its_largest_whole_unit():
    assert age(CREATED, CREATED + datetime.timedelta(days=400, hours=5)) == "400 d"
    assert age(CREATED, CREATED + datetime.timedelta(hours=5, minutes=59)) == "5 h"
    assert age(CREATED, CREATED + datetime.timedelta(minutes=7)) == "7 min"
    assert age(CREATED, CREATED + datetime.timedelta(seconds=20)) == "<1 min"
    assert age(None, CREATED) == "unknown"
