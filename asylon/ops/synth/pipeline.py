"""Preparing batches in a second process while this one writes them.

Drawing stories, building model instances and sealing their encrypted values costs about as much
as writing them, and SQLite takes one writer at a time: so a forked process prepares the next
batch while this one writes the current one. Rows cross over as plain column values and become
model instances again the way unpickling makes them (`__new__`, then the attribute dictionary).
Where `fork` is unavailable, or for a single batch, the same preparation runs inline. Either way
the batches are identical and come in order.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import traceback
from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.db.models.base import ModelState

from asylon.common.encrypted import Sealed, encrypted_fields
from asylon.ops.synth.rows import Rows

QUEUE_DEPTH = 2  # batches prepared ahead: enough to keep the writer busy, little memory
POLL_SECONDS = 1.0
Packed = list[tuple[str, list[str], list[tuple[Any, ...]]]]


class PreparationFailed(RuntimeError):
    """The preparing process failed; the message carries its traceback."""


def can_prepare_in_background() -> bool:
    """Whether a second process can prepare batches here (fork and more than one core)."""
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


def prepared_rows(batches: Iterable[Rows], *, in_background: bool) -> Iterator[Rows]:
    """The batches in order, prepared by a forked process when `in_background`, else here.

    The preparing process must not touch the database: everything it needs is loaded before.
    """
    if not in_background:
        yield from batches
        return
    context = multiprocessing.get_context("fork")
    channel: Any = context.Queue(maxsize=QUEUE_DEPTH)
    worker = context.Process(target=_prepare, args=(batches, channel), name="asylon-synth-prepare", daemon=True)
    worker.start()
    try:
        while (packed := _receive(channel, worker)) is not None:
            yield unpack(packed)
    finally:
        if worker.is_alive():
            worker.terminate()
        worker.join()


def _prepare(batches: Iterable[Rows], channel: Any) -> None:
    try:
        for rows in batches:
            channel.put(("rows", pack(rows)))
        channel.put(("done", None))
    except BaseException:
        channel.put(("failed", traceback.format_exc()))


def _receive(channel: Any, worker: Any) -> Packed | None:
    while True:
        try:
            kind, payload = channel.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if not worker.is_alive():
                raise PreparationFailed(f"the preparing process stopped (exit code {worker.exitcode})") from None
            continue
        if kind == "failed":
            raise PreparationFailed(payload)
        return payload if kind == "rows" else None


def pack(rows: Rows) -> Packed:
    """Rows as (model label, attribute names, value tuples): cheap to pickle.

    Ciphertexts travel as plain bytes: a bytes subclass (`Sealed`) unpickles ten times slower.
    """
    packed = []
    for model, objects in rows.items():
        names = [field.attname for field in model._meta.concrete_fields]
        packed.append(
            (
                model._meta.label,
                names,
                [tuple(_plain(value) for value in map(instance.__dict__.get, names)) for instance in objects],
            )
        )
    return packed


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, Sealed) else value


def unpack(packed: Packed) -> Rows:
    """Model instances again, made as unpickling makes them, their ciphertexts sealed again."""
    rows: Rows = {}
    for label, names, values in packed:
        model = apps.get_model(label)
        encrypted = {field.attname for field in encrypted_fields(model)}
        sealed_names = [name for name in names if name in encrypted]
        objects = []
        for row in values:
            instance = object.__new__(model)
            state = instance.__dict__
            state.update(zip(names, row, strict=True))
            for name in sealed_names:
                if state[name] is not None:
                    state[name] = Sealed(state[name])
            state["_state"] = ModelState()
            objects.append(instance)
        rows[model] = objects
    return rows
