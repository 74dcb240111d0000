"""`asylon keys status | rotate | seal`: the inventory they show, what they write, and what they refuse."""

from __future__ import annotations

import datetime
import io
import json
import re
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from asylon.accounts.models import Organisation
from asylon.audit.models import AuditEntry
from asylon.cases.models import Case
from asylon.common.crypto import key_history, keysets, rotation
from asylon.common.crypto.document_blobs import document_blob_inventory
from asylon.common.crypto.inventory import ciphertext_inventory, ciphertexts_per_key, encrypted_columns
from asylon.common.crypto.keyring import key_id_of, keyring, reset_keyring
from asylon.evidence.models import Document
from asylon.evidence.storage import blob_path, blob_read, blob_write
from asylon.people.models import Person
from tests.security.raw_sql import store_bytes, stored_bytes

pytestmark = pytest.mark.django_db

NAMES = [("Алена", "Новікава"), ("Уладзімір", "Шаблінскі"), ("Tatsiana", "Khomich")]
DOCUMENT_CONTENT = "Позва ў ваенкамат".encode()


def keys(*arguments: str) -> str:
    out = io.StringIO()
    call_command("keys", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def organisation():
    return Organisation.objects.create(name="Keys Test Centre", slug="keys-test")


@pytest.fixture
def persons(organisation):
    people = [Person(organisation=organisation, given_name=given, family_name=family) for given, family in NAMES]
    for person in people:
        person.save()
    return people


@pytest.fixture
def document(organisation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = Case(organisation=organisation, reference="KEYS-1", opened_on=datetime.date(2024, 3, 1), summary="Справа")
    case.save()
    stored = Document(
        organisation=organisation,
        case=case,
        filename="pozva.txt",
        description="Позва",
        sha256="0" * 64,
        content_type="text/plain",
        size=len(DOCUMENT_CONTENT),
        blob_name=uuid.uuid4().hex,
    )
    blob_write(stored, DOCUMENT_CONTENT)
    stored.save()
    return stored


def test_status_shows_each_key_and_the_ciphertexts_under_it_per_column(persons):
    key_id = keyring().primary_key_id

    output = keys("status")

    assert "Field keyset, sealed under the master key" in output
    assert re.search(rf"│ {key_id}\s*│ yes\s*│ ENABLED", output)
    for column in ("given_name", "family_name"):
        assert re.search(rf"people\.person\.{column}\s*│ {key_id}\s*│\s*3 │", output)


def test_the_raw_sql_inventory_agrees_with_the_ciphertexts_the_orm_reads(persons, document):
    for inventory, column in zip(ciphertext_inventory(), encrypted_columns(), strict=True):
        values = column.model._base_manager.values_list(column.field.attname, flat=True)
        assert inventory.ciphertexts_by_key == Counter(key_id_of(value) for value in values if value is not None)
    assert document_blob_inventory().ciphertexts_by_key == {keyring().primary_key_id: 1}


def test_status_reports_values_that_carry_no_tink_prefix(persons):
    store_bytes(Person, "given_name", persons[0].pk, "Алена".encode())

    output = keys("status")

    [given_name] = [inv for inv in ciphertext_inventory() if inv.label == "people.person.given_name"]
    assert given_name.unrecognised == 1
    assert "people.person.given_name: 1 values carry no Tink prefix" in output


def test_rotate_reencrypts_every_value_and_document_then_destroys_the_old_key(
    isolated_keys, monkeypatch, persons, document
):
    monkeypatch.setattr(rotation, "PROPAGATION_SECONDS", 0)
    old_key_id = keyring().primary_key_id

    output = keys("rotate", "--batch-size", "2", "--destroy-old")

    handle = keysets.read_keyset(isolated_keys, keysets.FIELD, keyring().master, allow_cleartext=False)
    [new_key] = keysets.key_infos(handle)
    assert new_key.primary and new_key.key_id != old_key_id
    assert f"new primary key {new_key.key_id} (previous primary {old_key_id})" in output
    assert f"Destroyed old keys: {old_key_id}." in output
    assert f"Earlier key exports do not hold key {new_key.key_id}: run `asylon keys export`" in output
    assert set(ciphertexts_per_key([*ciphertext_inventory(), document_blob_inventory()])) == {new_key.key_id}
    reset_keyring()  # as a freshly started server would: only the new key on disk
    assert [(p.given_name, p.family_name) for p in Person.objects.order_by("created_at")] == NAMES
    assert blob_read(document) == DOCUMENT_CONTENT
    history = key_history.read_history(isolated_keys, keysets.FIELD)
    assert history[new_key.key_id].created_at is not None and history[new_key.key_id].destroyed_at is None
    assert history[old_key_id].destroyed_at is not None
    assert key_history.history_path(isolated_keys, keysets.FIELD).stat().st_mode & 0o777 == 0o600
    entries = list(AuditEntry.objects.filter(action__startswith="keys.").order_by("created_at"))
    assert [entry.action for entry in entries] == ["keys.rotate", "keys.reencrypt", "keys.destroy"]
    assert entries[0].details["key_id"] == new_key.key_id and entries[2].details["key_ids"] == [old_key_id]
    logged = json.dumps([entry.details for entry in entries], ensure_ascii=False)
    assert not any(name in logged for pair in NAMES for name in pair)
    assert re.search(rf"│ {old_key_id}\s*│\s*│ DESTROYED", keys("status"))


def test_old_keys_that_still_hold_ciphertexts_are_not_destroyed(isolated_keys, persons):
    old_key_id = keyring().primary_key_id
    rotation.field_key_add(ring=keyring())

    destruction = rotation.unused_old_keys_destroy(ring=keyring())

    assert destruction.destroyed == []
    assert destruction.in_use == {old_key_id: 2 * len(NAMES)}
    reset_keyring()
    assert [p.given_name for p in Person.objects.order_by("created_at")] == [given for given, _ in NAMES]


def test_rotate_keeps_the_old_keys_when_values_do_not_decrypt(isolated_keys, monkeypatch, persons, document):
    monkeypatch.setattr(rotation, "PROPAGATION_SECONDS", 0)
    old_key_id = keyring().primary_key_id
    first, second = persons[0], persons[1]
    store_bytes(Person, "given_name", first.pk, stored_bytes(Person, "given_name", second.pk))
    blob = Path(settings.MEDIA_ROOT) / blob_path(document)
    stored = blob.read_bytes()
    blob.write_bytes(stored[:-1] + bytes([stored[-1] ^ 0xFF]))  # always a different last byte
    out = io.StringIO()

    with pytest.raises(CommandError, match="values remain under old keys"):
        call_command("keys", "rotate", "--destroy-old", stdout=out)

    assert f"people.person.given_name:{first.pk}" in out.getvalue()
    assert f"evidence.document.blob:{document.pk}" in out.getvalue()
    handle = keysets.read_keyset(isolated_keys, keysets.FIELD, keyring().master, allow_cleartext=False)
    assert old_key_id in {info.key_id for info in keysets.key_infos(handle)}
    assert Person.objects.get(pk=second.pk).given_name == NAMES[1][0]


def test_a_second_key_operation_is_refused_while_one_runs(isolated_keys):
    with rotation.keyset_lock(isolated_keys), pytest.raises(CommandError, match="Another key operation is running"):
        keys("rotate")


def test_rotate_in_the_demo_without_a_master_key_keeps_the_keyset_in_cleartext(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(rotation, "PROPAGATION_SECONDS", 0)
    monkeypatch.delenv("ASYLON_MASTER_KEY")
    settings.ASYLON_KEYS_DIR = tmp_path / "keys"
    settings.ASYLON_DEMO = True
    keysets.ensure_keysets(settings.ASYLON_KEYS_DIR, None)
    reset_keyring()
    try:
        output = keys("rotate")
        assert "DEMO: no master key" in output
        assert not keysets.is_sealed(settings.ASYLON_KEYS_DIR, keysets.FIELD)
        handle = keysets.read_keyset(settings.ASYLON_KEYS_DIR, keysets.FIELD, None, allow_cleartext=True)
        assert len(keysets.key_infos(handle)) == 2
    finally:
        reset_keyring()


def test_seal_rewrites_a_demos_cleartext_keysets_under_the_master_key(settings, tmp_path, organisation):
    keys_dir = tmp_path / "keys"
    keysets.ensure_keysets(keys_dir, None)
    settings.ASYLON_KEYS_DIR = keys_dir
    settings.ASYLON_DEMO = True
    reset_keyring()
    try:
        person = Person(organisation=organisation, given_name="Паўліна", family_name="Лысенка")
        person.save()
        cleartext_keys = {name: keysets.keyset_path(keys_dir, name).read_text() for name in keysets.TEMPLATES}

        output = keys("seal")

        assert "Sealed under the master key: field, blind_index." in output
        for name in keysets.TEMPLATES:
            assert keysets.is_sealed(keys_dir, name)
            assert keysets.keyset_path(keys_dir, name).read_text() != cleartext_keys[name]
            assert keysets.keyset_path(keys_dir, name).stat().st_mode & 0o777 == 0o600
        settings.ASYLON_DEMO = False
        reset_keyring()
        assert Person.objects.get(pk=person.pk).given_name == "Паўліна"
        assert AuditEntry.objects.get(action="keys.seal").details == {"keysets": ["field", "blind_index"]}
        assert "Every keyset was sealed already." in keys("seal")
    finally:
        reset_keyring()


def test_seal_refuses_without_a_master_key(isolated_keys, monkeypatch):
    monkeypatch.delenv("ASYLON_MASTER_KEY")
    with pytest.raises(CommandError, match="No master key"):
        keys("seal")


def test_seal_refuses_a_master_key_that_does_not_open_the_sealed_keysets(isolated_keys, monkeypatch):
    master = keyring().master
    monkeypatch.setenv("ASYLON_MASTER_KEY", "another-master-key-" + "y" * 32)
    with pytest.raises(CommandError, match="does not open the keysets"):
        keys("seal")
    assert keysets.read_keyset(isolated_keys, keysets.FIELD, master, allow_cleartext=False)
