"""Sending a batch's COPYs from a second thread on the import's connection (PostgreSQL).

Without it the importing process and the server take turns: the server loads a batch and checks its
foreign keys while the process waits, then the process builds and seals the next batch while the server
waits. With it the server loads batch N while the importing thread builds and seals batch N+1. The
import is one transaction, so both threads share its one connection: the importing thread makes each
model's COPY data as one buffer, this thread sends it and waits for the server (psycopg releases the GIL
while it waits), and any other use of the connection waits for the COPYs first (`BatchWriter.pipelined`).
The sending thread needs the GIL after every wait (each write of 128 KiB, each COPY's start and end), and
Python makes a waiting thread wait up to its switch interval (5 ms) while the other computes: that kept
the server idle for seconds per import, and made an earlier per-row sending thread slower than none. So
the thread sends few large writes, and while it may send the interval is 0.5 ms (about 2 s less wall
time for 100,000 rows; docs/benchmarks.md).
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import Any, Self

SWITCH_INTERVAL = 0.0005  # seconds
Copies = list[tuple[str, bytes]]  # (COPY statement, its data in binary format), in the order they are sent


class CopiesInFlight:
    """One batch's COPYs at a time, sent by a background thread; `wait` before any other use of the connection.
    Used as a context manager: Python's switch interval is shortened inside, and the thread joined on leaving."""

    def __init__(self, raw_connection: Any) -> None:
        self._connection = raw_connection
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._interval = sys.getswitchinterval()

    def __enter__(self) -> Self:
        sys.setswitchinterval(SWITCH_INTERVAL)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        try:
            if exc is None:
                self.wait()
            else:
                self.join()  # the first error is the one reported
        finally:
            sys.setswitchinterval(self._interval)

    def start(self, copies: Copies) -> None:
        self.wait()
        self._thread = threading.Thread(target=self._send, args=(copies,), name="import-copies", daemon=True)
        self._thread.start()

    def _send(self, copies: Copies) -> None:
        try:
            with self._connection.cursor() as cursor:
                for statement, data in copies:
                    with cursor.copy(statement) as copy:
                        copy.write(data)
        except BaseException as error:  # raised in the importing thread by `wait`, which rolls the import back
            self._error = error

    def join(self) -> None:
        """Until the COPYs are done, whatever their outcome."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def wait(self) -> None:
        """Until the COPYs are done; their error, if any, is raised here."""
        self.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
