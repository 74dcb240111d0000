"""Inserting an import's new rows: instances made without `Model.__init__`, their values prepared as
`bulk_create` prepares them (each field's `pre_save`, so encrypted values are sealed for their row, then
`get_db_prep_save`), written with one `executemany` (SQLite) or one `COPY` (PostgreSQL) per model.

Django's bulk insert compiles every value into multi-row statements (placeholders, expressions, chunks
of the variable limit): three quarters of the import's time. The values are the same; only the
statement differs.
"""

from __future__ import annotations

import io
import operator
import uuid
from collections.abc import Iterator
from typing import Any

from django.db import connection, connections, models
from django.db.models.base import ModelState
from django.utils import timezone
from psycopg.copy import Copy, FileWriter

_PROTOTYPES: dict[type[models.Model], dict[str, Any]] = {}
PASSED_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def new_instance(model: type[models.Model], **values: Any) -> Any:
    """An unsaved instance with the model's defaults and `values` (attribute names), made as unpickling
    makes one (synth's pipeline does the same): `Model.__init__` per row was a sixth of the import.
    The defaults come from one instance built normally; mutable defaults are shared, never mutated."""
    prototype = _PROTOTYPES.get(model)
    if prototype is None:
        sample = model()
        prototype = {name: value for name, value in sample.__dict__.items() if name != "_state"}
        _PROTOTYPES[model] = prototype
    instance = model.__new__(model)
    state = instance.__dict__
    state.update(prototype)
    state.update(values)
    state["_state"] = ModelState()
    return instance


def _passed_as_is(field: models.Field) -> bool:
    """Texts, numbers and booleans (already validated) are stored as they are."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    return isinstance(target, PASSED_AS_IS) and not isinstance(target, models.AutoField)


def _converter(field: models.Field, database: Any) -> Any:
    """The function that turns a field's value into its database value, or None when the value is
    stored as it is: texts, numbers and booleans (already validated); UUID keys become what the backend
    stores; blind-index digests are bytes already (both drivers take them); ciphertexts (which refuse a
    plaintext), dates, timestamps and JSON go through `get_db_prep_save`."""
    if _passed_as_is(field):
        return None
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, models.UUIDField):
        if database.features.has_native_uuid_field:
            return None
        return lambda value, _database: value.hex if isinstance(value, uuid.UUID) else uuid.UUID(str(value)).hex
    if type(target) is models.BinaryField:
        return lambda value, _database: value if isinstance(value, bytes) else field.get_db_prep_save(value, _database)
    if isinstance(target, models.BinaryField) and database.vendor == "postgresql":
        # Ciphertexts: Django wraps them in psycopg's `Binary` for its text protocol; a binary COPY takes the bytes.
        prepare_bytes = field.get_db_prep_save
        return lambda value, _database: prepare_bytes(value, _database).obj
    if isinstance(target, models.JSONField):
        # Most JSON values of an import are the empty default: converted once per statement.
        prepare = field.get_db_prep_save
        empty: dict[type, Any] = {list: prepare([], database), dict: prepare({}, database)}

        def json_value(value: Any, database: Any) -> Any:
            return (not value and empty.get(type(value))) or prepare(value, database)

        return json_value
    return field.get_db_prep_save


def _stored_rows(fields: list[models.Field], objects: list[Any], database: Any) -> Iterator[list[Any]]:
    """Each instance's values as the database stores them, made one row at a time."""
    # Record timestamps: one "now" for the whole statement, converted once (per value it cost a tenth).
    now = timezone.now()
    stamped = {
        index: (field.attname, field.get_db_prep_save(now, database))
        for index, field in enumerate(fields)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    }
    # Values are read straight from the instances (one C call per row); only fields with their own
    # `pre_save` (sealing encrypted values for their row) are asked for theirs, and only values the
    # backend does not take as they are are converted.
    read_all = operator.itemgetter(*(field.attname for field in fields))
    special = []
    for index, model_field in enumerate(fields):
        own_pre_save = type(model_field).pre_save is not models.Field.pre_save
        convert = _converter(model_field, database)
        if index not in stamped and (own_pre_save or convert is not None):
            special.append((index, model_field.pre_save if own_pre_save else None, convert))
    for instance in objects:
        state = instance.__dict__
        for attname, _stored in stamped.values():
            state[attname] = now
        row = list(read_all(state))
        for index, pre_save, prepare in special:
            value = pre_save(instance, True) if pre_save is not None else row[index]
            row[index] = value if value is None or prepare is None else prepare(value, database)
        for index, (_attname, stored) in stamped.items():
            row[index] = stored
        yield row


_TYPE_OIDS: dict[str, int] = {}


def _type_oids(fields: list[models.Field], cursor: Any) -> list[int]:
    """The PostgreSQL type of each column, as a binary COPY needs them (looked up once per type and process)."""
    oids = []
    for field in fields:
        db_type = str(field.db_type(connection))  # a foreign key's is its target's
        if db_type not in _TYPE_OIDS:
            cursor.execute("SELECT %s::regtype::oid", [db_type])
            _TYPE_OIDS[db_type] = cursor.fetchone()[0]
        oids.append(_TYPE_OIDS[db_type])
    return oids


def _statement_parts(model: type[models.Model]) -> tuple[list[models.Field], str, str]:
    """The fields an insert writes (auto-increment keys are left to the database, as `bulk_create` leaves
    them), the quoted table and its column list."""
    fields = [field for field in model._meta.concrete_fields if not isinstance(field, models.AutoField)]
    quote = connection.ops.quote_name
    return fields, quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)


def _mark_saved(objects: list[Any]) -> None:
    alias = connection.alias  # read once: each read through the proxy is a lookup
    for instance in objects:
        instance._state.adding = False
        instance._state.db = alias


def rows_insert(model: type[models.Model], objects: list[Any]) -> None:
    """Insert new instances as `bulk_create` would, as one `executemany` of a one-row INSERT (SQLite)."""
    fields, table, columns = _statement_parts(model)
    database = connections[connection.alias]  # the wrapper itself: the proxy costs a lookup per value
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        # Identifiers from the model's metadata, quoted; every value is a parameter.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608  # nosec B608
        cursor.executemany(sql, list(_stored_rows(fields, objects, database)))
    _mark_saved(objects)


def rows_copy(model: type[models.Model], objects: list[Any]) -> tuple[str, bytes]:
    """The `COPY` (PostgreSQL) inserting new instances as `bulk_create` would, and its data, made here and
    sent by another thread (`pipelining.py`). psycopg adapts the values in C; an executemany through Django's
    client-side-binding cursor quotes every value in Python. In binary format neither side writes or parses
    text (timestamps, UUIDs, hex-escaped ciphertexts): a tenth less CPU in each process."""
    fields, table, columns = _statement_parts(model)
    database = connections[connection.alias]
    with connection.cursor() as cursor:
        oids = _type_oids(fields, cursor)
    data = io.BytesIO()
    # A cursor that has run nothing: psycopg's `Copy` takes the format from a cursor's last result, if any.
    with connection.connection.cursor() as raw_cursor, Copy(raw_cursor, binary=True, writer=FileWriter(data)) as copy:
        copy.set_types(oids)
        for row in _stored_rows(fields, objects, database):
            copy.write_row(row)
    _mark_saved(objects)
    return f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)", data.getvalue()
