"""Appending: `record` and `record_many` extend one gapless chain that verifies."""

import pytest

from asylon.audit.chain import GENESIS_HASH, entry_digest
from asylon.audit.models import AuditEntry, ChainHead
from asylon.audit.services import record, record_many
from asylon.audit.verify import verify_chain
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_record_and_record_many_extend_one_chain(organisation):
    first = record(actor=None, action="test.one", target=organisation)
    cases = [CaseFactory(organisation=organisation) for _ in range(3)]
    start = AuditEntry.objects.order_by("-sequence").first().sequence

    assert record_many(actor=None, action="case.open", targets=cases) == 3
    last = record(actor=None, action="test.two")

    assert first.sequence == 1 and first.previous_hash == GENESIS_HASH
    batch = list(AuditEntry.objects.filter(action="case.open").order_by("sequence"))
    assert [entry.sequence for entry in batch] == [start + 1, start + 2, start + 3]
    assert batch[1].previous_hash == batch[0].entry_hash
    assert last.previous_hash == batch[-1].entry_hash
    assert list(AuditEntry.objects.values_list("sequence", flat=True)) == list(range(1, last.sequence + 1))
    head = ChainHead.objects.get()
    assert (head.sequence, head.entry_hash) == (last.sequence, last.entry_hash)
    assert verify_chain(public_keys=[]).ok


def test_stored_hash_is_recomputed_from_the_database(organisation):
    record(actor=None, action="test.one", target=organisation, details={"ids": ["a", "b"], "n": 3})

    values = AuditEntry.objects.values().get()

    assert entry_digest(values) == values["entry_hash"]


def test_a_missing_chain_head_is_rebuilt_from_the_last_entry(organisation, sql):
    record(actor=None, action="test.one")
    sql("DELETE FROM audit_chainhead")

    entry = record(actor=None, action="test.two")

    assert entry.sequence == 2
    assert verify_chain(public_keys=[]).ok


def test_empty_record_many_writes_nothing(organisation):
    assert record_many(actor=None, action="case.open", targets=[]) == 0
    assert not AuditEntry.objects.exists()
