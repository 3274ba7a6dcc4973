"""SQLite without a thread hop.

aiosqlite runs each connection in its own thread and hands every call (execute, fetch, commit) across
a queue; on a busy 2-core machine each hand-over cost 0.3-0.5 ms of CPU (queue, GIL, loop wake-up),
several times what a typical indexed read costs SQLite itself. These connections offer the aiosqlite
interface that SQLAlchemy's aiosqlite dialect expects, answered synchronously in the event loop's thread.

- Reads: in WAL mode a reader never waits for a lock, so a read holds the loop just for its own work.
- Writes (``write=True``): a write transaction must never make the loop wait for SQLite's lock, and must hold
  that lock only as long as its own work. These connections have no busy handler: ``BEGIN IMMEDIATE`` fails at
  once while another connection (another request's, a worker thread's, another process's) holds the lock, and
  is retried after a short sleep that lets the loop serve others meanwhile. From BEGIN to COMMIT every
  statement runs without suspending, so the lock is held for the transaction's CPU time, not for however long
  a busy loop takes to come back to it. (With aiosqlite each statement went back through the loop: under load
  one create held the lock for seconds while 20 others timed out behind it. A per-process FIFO queue in front
  of BEGIN was tried too: every hand-over then waited for the loop to drain its ready queue, and creates fell to
  8/s at 1,000 users.)
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Coroutine, Iterable, Sequence
from typing import Any


class InlineCursor:
    __slots__ = ("_cursor", "_owner")

    def __init__(self, cursor: sqlite3.Cursor, owner: InlineConnection):
        self._cursor = cursor
        self._owner = owner

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> InlineCursor:
        if self._owner.write and sql.startswith("BEGIN IMMEDIATE"):
            await self._owner.begin_immediate(self._cursor, sql)
        else:
            self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, seq: Iterable[Any]) -> InlineCursor:
        self._cursor.executemany(sql, seq)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size) if size is not None else self._cursor.fetchmany()

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def nextset(self) -> None:
        return None

    async def setinputsizes(self, *_sizes: Any) -> None:
        return None

    async def close(self) -> None:
        self._cursor.close()


class InlineConnection:
    """What ``AsyncAdapt_aiosqlite_connection`` uses of an ``aiosqlite.Connection``."""

    def __init__(self, connection: sqlite3.Connection, *, write: bool = False, timeout: float = 30.0):
        self._conn = connection
        self._connection: sqlite3.Connection | None = connection
        self.write = write
        self.timeout = timeout  # how long BEGIN IMMEDIATE keeps trying for the write lock

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn.cursor(), self)

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> InlineCursor:
        return await self.cursor().execute(sql, parameters)

    async def begin_immediate(self, cursor: sqlite3.Cursor, sql: str) -> None:
        deadline = time.monotonic() + self.timeout
        delay = 0.0005
        while True:
            try:
                cursor.execute(sql)  # no busy handler on these connections: fails at once if locked
                return
            except sqlite3.OperationalError as exc:
                message = str(exc)
                if ("locked" not in message and "busy" not in message) or time.monotonic() > deadline:
                    raise
            await asyncio.sleep(delay)  # someone else writes: let this loop serve others meanwhile
            delay = min(delay * 2, 0.01)

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kw: Any) -> None:
        self._conn.create_function(*args, **kw)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()  # an open transaction is rolled back


def inline_creator(path: str, *, timeout: float, write: bool = False) -> Callable[[], Coroutine[Any, Any, InlineConnection]]:
    """An ``async_creator`` for ``create_async_engine``: connections in autocommit mode (the engine's
    ``begin`` listener issues BEGIN itself), usable from whichever thread runs the engine's loop.
    ``write``: the connections write, waiting for the lock by suspending (see the module docstring)."""

    async def create() -> InlineConnection:
        conn = sqlite3.connect(path, timeout=0 if write else timeout, isolation_level=None, check_same_thread=False)
        return InlineConnection(conn, write=write, timeout=timeout)

    return create
