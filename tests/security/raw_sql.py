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
