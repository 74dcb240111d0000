"""Reading and writing stored bytes with raw SQL, past the ORM, as someone holding the database would."""

from __future__ import annotations

from typing import Any

from django.db import connection, models


def _table_and_column(model: type[models.Model], field_name: str) -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), quote(model._meta.get_field(field_name).column)


def _stored_pk(model: type[models.Model], pk: Any) -> Any:
    return model._meta.pk.get_db_prep_value(pk, connection)


def stored_bytes(model: type[models.Model], field_name: str, pk: Any) -> bytes:
    """The bytes a row holds in one column."""
    table, column = _table_and_column(model, field_name)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [_stored_pk(model, pk)])
        return bytes(cursor.fetchone()[0])


def store_bytes(model: type[models.Model], field_name: str, pk: Any, value: bytes) -> None:
    """Overwrite one column of one row with the given bytes."""
    table, column = _table_and_column(model, field_name)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, _stored_pk(model, pk)])
        assert cursor.rowcount == 1


def _cell_texts(value: Any) -> list[str]:
    """How a stored value may spell an id: as text, and (bytes) as hexadecimal."""
    if value is None:
        return []
    if isinstance(value, (bytes, memoryview)):
        raw = bytes(value)
        return [raw.hex(), raw.decode("utf-8", errors="replace").casefold()]
    return [str(value).casefold()]


def rows_mentioning(ids: Any = (), blobs: Any = (), skip_tables: Any = ()) -> list[tuple[str, str, str]]:
    """Every (table, column, needle) where a stored value mentions one of the ids (UUIDs, with or without
    dashes) or equals or contains one of the byte strings (ciphertexts), across every table of the database."""
    needles = set()
    for value in ids:
        text = str(value).casefold()
        needles |= {text, text.replace("-", "")}
    hex_blobs = {bytes(blob).hex() for blob in blobs if blob}
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in skip_tables or table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT * FROM {quote(table)}")  # nosec B608: names from the database's own catalogue
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    texts = _cell_texts(value)
                    for needle in needles | hex_blobs:
                        if any(needle in text for text in texts):
                            found.append((table, column, needle))
    return found
