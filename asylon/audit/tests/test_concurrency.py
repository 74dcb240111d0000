"""Fifty writers on separate PostgreSQL connections, released at once, do not fork the chain."""

import threading

import pytest
from django.db import connection

from asylon.audit.models import AuditEntry
from asylon.audit.services import record
from asylon.audit.verify import verify_chain

WRITERS = 50


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_gapless_chain():
    barrier = threading.Barrier(WRITERS)
    errors = []

    def write(number):
        try:
            barrier.wait(timeout=30)
            record(actor=None, action="test.concurrent", details={"writer": number})
        except Exception as error:  # reported below; a thread's exception would be lost otherwise
            errors.append(error)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=write, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, WRITERS + 1))
    assert sorted(AuditEntry.objects.values_list("details__writer", flat=True)) == list(range(WRITERS))
    result = verify_chain(public_keys=[])
    assert result.ok, result.findings
