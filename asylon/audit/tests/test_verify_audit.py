"""`asylon verify-audit` finds each kind of tampering done with raw SQL, and says which entry."""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from asylon.audit.chain import entry_digest
from asylon.audit.checkpoints import checkpoint_create, export_directory, read_document
from asylon.audit.signing import instance_public_key
from asylon.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def verify(documents=()):
    return verify_chain(documents=list(documents), public_keys=[instance_public_key()])


def kinds_at(result):
    return {(finding.kind, finding.sequence) for finding in result.findings}


def test_clean_chain_passes(chain, capsys):
    result = verify()
    assert result.ok, result.findings
    assert result.entries == 8 and result.last_sequence == 8
    call_command("verify-audit")
    assert "Audit chain verified: 8 entries" in capsys.readouterr().out


def test_modified_entry_is_named(chain, sql):
    sql("UPDATE audit_auditentry SET action = 'test.forged' WHERE sequence = 3")

    result = verify()

    assert kinds_at(result) == {("modified", 3)}
    assert "entry 3 does not match its hash" in str(result.findings[0])


def test_modified_entry_with_recomputed_hash_is_named(chain, sql):
    entry = chain[2]
    fields = {
        "sequence": 3,
        "created_at": entry.created_at,
        "actor_id": None,
        "organisation_id": entry.organisation_id,
        "action": "test.forged",
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "changed_fields": [],
        "details": {"step": 3},
        "remote_address": None,
        "previous_hash": entry.previous_hash,
    }
    sql(
        "UPDATE audit_auditentry SET action = 'test.forged', entry_hash = %s WHERE sequence = 3",
        [entry_digest(fields)],
    )

    assert kinds_at(verify()) == {("modified", 3)}


def test_deleted_entry_is_named(chain, sql):
    sql("DELETE FROM audit_auditentry WHERE sequence = 5")

    result = verify()

    assert kinds_at(result) == {("deleted", 5)}
    assert "entry 5 is missing" in str(result.findings[0])


def test_deletion_hidden_by_renumbering_is_named(chain, sql):
    sql("DELETE FROM audit_auditentry WHERE sequence = 3")
    sql("UPDATE audit_auditentry SET sequence = sequence + 1000 WHERE sequence > 3")
    sql("UPDATE audit_auditentry SET sequence = sequence - 1001 WHERE sequence > 1000")

    result = verify()

    assert ("deleted", 3) in kinds_at(result)
    assert {finding.kind for finding in result.findings} == {"deleted", "renumbered"}


def test_reordered_entries_are_named(chain, sql):
    sql("UPDATE audit_auditentry SET sequence = -4 WHERE sequence = 4")
    sql("UPDATE audit_auditentry SET sequence = 4 WHERE sequence = 5")
    sql("UPDATE audit_auditentry SET sequence = 5 WHERE sequence = -4")

    result = verify()

    assert kinds_at(result) == {("reordered", 4), ("reordered", 5)}
    assert "entry 4 is stored out of order, at sequence 5" in {str(f).split(": ", 1)[1] for f in result.findings}


def test_distant_swap_names_only_the_moved_entries(chain, sql):
    sql("UPDATE audit_auditentry SET sequence = -2 WHERE sequence = 2")
    sql("UPDATE audit_auditentry SET sequence = 2 WHERE sequence = 6")
    sql("UPDATE audit_auditentry SET sequence = 6 WHERE sequence = -2")

    assert kinds_at(verify()) == {("reordered", 2), ("reordered", 6)}


def test_inserted_entry_is_named(chain, sql):
    """A forged entry slipped in after entry 2, correctly hashed, the later entries renumbered to make room."""
    sql("UPDATE audit_auditentry SET sequence = sequence + 1000 WHERE sequence > 2")
    sql("UPDATE audit_auditentry SET sequence = sequence - 999 WHERE sequence > 1000")
    created_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    fields = {
        "sequence": 3,
        "created_at": created_at,
        "actor_id": None,
        "organisation_id": None,
        "action": "test.inserted",
        "target_type": "",
        "target_id": "",
        "changed_fields": [],
        "details": {},
        "remote_address": None,
        "previous_hash": chain[1].entry_hash,
    }
    sql(
        "INSERT INTO audit_auditentry (id, sequence, created_at, action, target_type, target_id, changed_fields,"
        " details, previous_hash, entry_hash) VALUES (%s, 3, %s, 'test.inserted', '', '', '[]', '{}', %s, %s)",
        [uuid.uuid4().hex, created_at, chain[1].entry_hash, entry_digest(fields)],
    )

    result = verify()

    assert ("inserted", 3) in kinds_at(result)
    assert {finding.kind for finding in result.findings} <= {"inserted", "renumbered"}


def test_entry_appended_without_hash_is_inserted(chain, sql):
    sql(
        "INSERT INTO audit_auditentry (id, sequence, created_at, action, target_type, target_id, changed_fields,"
        " details, previous_hash, entry_hash) VALUES (%s, 9, %s, 'test.inserted', '', '', '[]', '{}', %s, %s)",
        [uuid.uuid4().hex, datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), "f" * 64, "e" * 64],
    )

    assert ("inserted", 9) in kinds_at(verify())


def test_truncated_tail_is_found_against_the_signed_checkpoint(chain, sql):
    checkpoint = checkpoint_create()
    assert checkpoint.sequence == 8 and checkpoint.entry_count == 8
    sql("DELETE FROM audit_auditentry WHERE sequence > 6")
    sql("DELETE FROM audit_checkpoint")  # the adversary also removes the checkpoint rows it can reach
    sql("UPDATE audit_chainhead SET sequence = 6, entry_hash = %s", [chain[5].entry_hash])
    files = sorted(export_directory().glob("checkpoint-000000000008-*.json"))
    assert files

    assert verify().ok  # the database alone looks whole
    result = verify([(str(files[-1]), read_document(files[-1]))])

    assert kinds_at(result) == {("truncated", 7)}
    assert "signed 8 entries up to 8" in str(result.findings[0])


def test_truncated_tail_is_found_against_the_chain_head(chain, sql):
    sql("DELETE FROM audit_auditentry WHERE sequence > 6")

    assert kinds_at(verify()) == {("truncated", 7)}


def test_forged_checkpoint_signature_is_reported(chain):
    from asylon.audit.checkpoints import checkpoint_document

    checkpoint = checkpoint_create()
    document = checkpoint_document(checkpoint, instance_public_key())
    document["entry_count"] = 99

    result = verify([("forged.json", document)])

    assert [finding.kind for finding in result.findings] == ["checkpoint"]


def test_command_exits_non_zero_and_names_the_entry(chain, sql, capsys):
    sql("UPDATE audit_auditentry SET details = '{\"step\": 99}' WHERE sequence = 2")

    with pytest.raises(CommandError) as raised:
        call_command("verify-audit")

    assert raised.value.returncode == 1
    assert "modified: entry 2 does not match its hash" in capsys.readouterr().out
