"""Pausing Python's cyclic garbage collector around bulk work (synthesis, imports).

A bulk run keeps hundreds of thousands of objects alive (rows, instances, digests) and makes
millions of short-lived ones without cycles; the collector would rescan the survivors again and
again (a fifth of synthesis, a third of a 100,000-row import). Inside the block nothing is
collected automatically: the caller collects the young generations after each batch (`batch_collected`),
so what a batch leaves behind is freed and the survivors are never scanned again.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collection inside the block; what existed before it is frozen (never scanned)."""
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def batch_collected() -> None:
    """Collect what the last batch left behind; older survivors (caches, earlier batches) are not rescanned."""
    gc.collect(generation=1)
