"""The hash chain: the canonical form of an entry and its SHA-256.

An entry's hash covers every field an auditor relies on, including its sequence and the previous
entry's hash, so changing, removing, inserting or moving an entry breaks the chain where it
happened. The canonical form is compact JSON with sorted keys; it is computed from the values as
they are stored (UTC timestamp in ISO 8601 with microseconds, ids as strings), so that
`asylon verify-audit` recomputes the same bytes from the database.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "sequence",
    "created_at",
    "actor_id",
    "organisation_id",
    "action",
    "target_type",
    "target_id",
    "changed_fields",
    "details",
    "remote_address",
    "previous_hash",
)


def canonical_time(value: datetime.datetime) -> str:
    """A timestamp as UTC ISO 8601 with microseconds, whatever zone it was read in."""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_digest(fields: dict[str, Any], *, sequence: int | None = None, created_at: str | None = None) -> str:
    """SHA-256 (hex) of an entry given as a dict of HASHED_FIELDS.

    `sequence` overrides the stored one (verification tries other positions); `created_at` is the
    canonical timestamp when the caller has it already (a batch shares one).
    """
    payload = {
        "sequence": int(fields["sequence"] if sequence is None else sequence),
        "created_at": created_at or canonical_time(fields["created_at"]),
        "actor": str(fields["actor_id"]) if fields["actor_id"] is not None else None,
        "organisation": str(fields["organisation_id"]) if fields["organisation_id"] is not None else None,
        "action": fields["action"],
        "target": [fields["target_type"], fields["target_id"]],
        "changed_fields": fields["changed_fields"],
        "details": fields["details"],
        "remote_address": fields["remote_address"],
        "previous_hash": fields["previous_hash"],
    }
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def normalised_json(value: Any) -> Any:
    """The value as it reads back from a JSON column (tuples become lists, keys strings)."""
    return json.loads(json.dumps(value))
