"""Writing prepared rows: `bulk_create` per model and one audit entry per created person, case, event
and decision through `record_many`, all in one transaction per batch (a failure leaves whole
batches, never half a person)."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction

from asylon.audit.services import record_many
from asylon.cases.models import Case, Decision, Event
from asylon.ops.synth.rows import WRITE_ORDER, Rows
from asylon.people.models import Person

AUDITED = ((Person, "person.create"), (Case, "case.open"), (Event, "event.create"), (Decision, "decision.create"))
SQLITE_RUN_CACHE_KIB = 1024 * 1024


@contextlib.contextmanager
def sqlite_page_cache_enlarged() -> Iterator[None]:
    """On SQLite, a 1 GiB page cache for the run, restored afterwards.

    The default (2 MiB) is far smaller than one batch's transaction: random UUID keys spread
    index inserts over whole indexes, so pages would be spilled to the WAL and read back
    throughout. SQLite allocates the cache only as pages are used.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_RUN_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


def rows_write(rows: Rows, *, organisation: Any, actor: Any) -> Counter[str]:
    """Write one batch of rows and their audit entries; return the rows written per model label."""
    written: Counter[str] = Counter()
    with transaction.atomic():
        for model in WRITE_ORDER:
            objects = rows.get(model)
            if objects:
                model._default_manager.bulk_create(objects)
                written[model._meta.label] += len(objects)
        for model, action in AUDITED:
            written["audit.AuditEntry"] += record_many(
                actor=actor, action=action, targets=rows.get(model, []), organisation=organisation
            )
    return written
