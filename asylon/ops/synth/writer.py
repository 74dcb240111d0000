"""Writing prepared rows: `bulk_create` per model and one audit entry per created person, case, event
and decision through `record_many`, all in one transaction per batch (a failure leaves whole
batches, never half a person)."""

from __future__ import annotations

import contextlib
import sqlite3
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
def sqlite_tuned_for_bulk() -> Iterator[None]:
    """On SQLite, for the run: a 1 GiB page cache and statements as large as this SQLite allows.

    The default cache (2 MiB) is far smaller than one batch's transaction: the audit log's random
    keys and the blind-index digests spread inserts over whole indexes, so pages would be spilled
    to the WAL and read back throughout (SQLite allocates the cache only as pages are used).
    Django assumes the 999-variable limit of SQLite before 3.32 and cuts `bulk_create` into
    statements of 999 values; the connection reports its real limit (32,766 by default), and
    fewer, larger statements save about a twentieth of the run. Both are restored afterwards.
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    features = connection.features
    assumed_limit = features.max_query_params
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous_cache = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_RUN_CACHE_KIB}")
    features.max_query_params = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    try:
        yield
    finally:
        features.max_query_params = assumed_limit
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous_cache}")


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
