"""Which keys the stored ciphertexts are under, read from their bytes with raw SQL.

A Tink ciphertext starts with 0x01 and the 4-byte big-endian id of the key that produced it. This
module counts those prefixes per encrypted column in SQL, so it sees what a copy of the database
holds rather than what the ORM makes of it. `asylon keys status` prints it, `asylon keys rotate`
repeats its sweeps until it shows no old key, `--destroy-old` checks it before destroying a key,
and the security tests assert on it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, models

from asylon.common.crypto.keyring import TINK_PREFIX_LENGTH
from asylon.common.encrypted import EncryptedField, encrypted_fields

TINK_PREFIX_MARKER = 0x01

# The first five bytes of a value as hexadecimal text, per database vendor.
PREFIX_AS_HEX = {
    "sqlite": "hex(substr({column}, 1, 5))",
    "postgresql": "encode(substring({column} from 1 for 5), 'hex')",
}


@dataclass(frozen=True)
class EncryptedColumn:
    """One encrypted field of one model, i.e. one database column of ciphertexts."""

    model: type[models.Model]
    field: EncryptedField

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field.name}"


@dataclass(frozen=True)
class Inventory:
    """How many stored ciphertexts of one column (or file store) each key id holds.

    `unrecognised` counts values without a Tink prefix: plaintext written past the field, or damage.
    """

    label: str
    ciphertexts_by_key: dict[int, int] = field(default_factory=dict)
    unrecognised: int = 0

    def under_keys_other_than(self, key_id: int) -> int:
        return sum(count for key, count in self.ciphertexts_by_key.items() if key != key_id)


def encrypted_columns() -> list[EncryptedColumn]:
    """Every encrypted field of every installed model that owns a table."""
    return [
        EncryptedColumn(model=model, field=encrypted)
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
        for encrypted in encrypted_fields(model)
        if encrypted.model is model  # a multi-table child lists its parent's columns too
    ]


def key_id_from_prefix(prefix: bytes) -> int | None:
    """The key id in a ciphertext's first five bytes, or None when they are no Tink prefix."""
    if len(prefix) != TINK_PREFIX_LENGTH or prefix[0] != TINK_PREFIX_MARKER:
        return None
    return int.from_bytes(prefix[1:], "big")


def tally_prefixes(label: str, prefix_counts: Iterable[tuple[bytes, int]]) -> Inventory:
    """Fold (five-byte prefix, count) pairs into an inventory."""
    by_key: Counter[int] = Counter()
    unrecognised = 0
    for prefix, count in prefix_counts:
        key_id = key_id_from_prefix(prefix)
        if key_id is None:
            unrecognised += count
        else:
            by_key[key_id] += count
    return Inventory(label=label, ciphertexts_by_key=dict(by_key), unrecognised=unrecognised)


def column_inventory(column: EncryptedColumn, using: str = DEFAULT_DB_ALIAS) -> Inventory:
    """Count one column's ciphertexts per key id with a GROUP BY on the stored prefix."""
    connection = connections[using]
    try:
        prefix_template = PREFIX_AS_HEX[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"Asylon supports SQLite and PostgreSQL; no ciphertext inventory for {connection.vendor}."
        ) from None
    table = connection.ops.quote_name(column.model._meta.db_table)
    quoted_column = connection.ops.quote_name(column.field.column)
    prefix = prefix_template.format(column=quoted_column)
    # Identifiers come from the model registry and are quoted; there are no parameters to bind.
    sql = f"SELECT {prefix}, COUNT(*) FROM {table} WHERE {quoted_column} IS NOT NULL GROUP BY 1"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return tally_prefixes(column.label, ((bytes.fromhex(hex_prefix or ""), count) for hex_prefix, count in rows))


def ciphertext_inventory(using: str = DEFAULT_DB_ALIAS) -> list[Inventory]:
    """The inventory of every encrypted column in the database."""
    return [column_inventory(column, using) for column in encrypted_columns()]


def ciphertexts_per_key(inventories: Iterable[Inventory]) -> Counter[int]:
    """Total ciphertexts under each key id across inventories."""
    totals: Counter[int] = Counter()
    for inventory in inventories:
        totals.update(inventory.ciphertexts_by_key)
    return totals
