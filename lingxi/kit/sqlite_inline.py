"""SQLite without a thread hop.

aiosqlite runs each connection in its own thread and hands every call (execute, fetch, commit) across
a queue; on a busy 2-core machine each hand-over cost 0.3-0.5 ms of CPU (queue, GIL, loop wake-up),
several times what a typical indexed read costs SQLite itself. These connections offer the aiosqlite
interface that SQLAlchemy's aiosqlite dialect expects, answered synchronously in the event loop's thread.

- Reads: in WAL mode a reader never waits for a lock, so a read holds the loop just for its own work.
- Writes (``gate`` given): a write transaction must never make the loop wait for SQLite's lock, and must
  hold that lock only as long as its own work. So ``BEGIN IMMEDIATE`` first takes the process's
  ``WriteGate`` for the file (a FIFO queue per event loop, then one lock shared by the loops of the
  process's threads, all waited for by suspending), then asks SQLite for its lock without a busy
  handler, retrying with short sleeps while another *process* writes. From then on every statement up to
  COMMIT runs without suspending, so the lock is held for the transaction's CPU time, not for however
  long a busy loop takes to come back to it (with aiosqlite, each statement went back through the loop,
  and under load one create held the lock for seconds while 20 others timed out behind it).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Coroutine, Iterable, Sequence
from typing import Any


class WriteGate:
    """One write transaction at a time, per database file and process."""

    _gates: dict[str, WriteGate] = {}
    _gates_lock = threading.Lock()

    def __init__(self) -> None:
        self._thread_lock = threading.Lock()
        self._loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()

    @classmethod
    def for_path(cls, path: str) -> WriteGate:
        with cls._gates_lock:
            return cls._gates.setdefault(path, cls())

    async def acquire(self, wait_s: float) -> asyncio.Lock:
        """Waits (suspending) until this task may write; returns the loop's lock to give to ``release``."""
        loop = asyncio.get_running_loop()
        lock = self._loop_locks.get(loop)
        if lock is None:
            lock = self._loop_locks.setdefault(loop, asyncio.Lock())
        deadline = time.monotonic() + wait_s
        try:
            await asyncio.wait_for(lock.acquire(), wait_s)
        except TimeoutError:
            raise sqlite3.OperationalError("database is locked (waited for this process's other writers)") from None
        delay = 0.0005
        while not self._thread_lock.acquire(blocking=False):  # another thread of this process writes
            if time.monotonic() > deadline:
                lock.release()
                raise sqlite3.OperationalError("database is locked (waited for this process's worker threads)")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.01)
        return lock

    def release(self, lock: asyncio.Lock) -> None:
        self._thread_lock.release()
        lock.release()


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
        owner = self._owner
        if owner.gate is not None and sql.startswith("BEGIN IMMEDIATE"):
            await owner.begin_immediate(self._cursor, sql)
            return self
        try:
            self._cursor.execute(sql, parameters)
        finally:
            if owner.held is not None and not owner._conn.in_transaction:  # COMMIT/ROLLBACK as SQL
                owner.release()
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

    def __init__(self, connection: sqlite3.Connection, gate: WriteGate | None = None, timeout: float = 30.0):
        self._conn = connection
        self._connection: sqlite3.Connection | None = connection
        self.gate = gate
        self.timeout = timeout
        self.held: asyncio.Lock | None = None  # the gate, while this connection's write transaction runs

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn.cursor(), self)

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> InlineCursor:
        return await self.cursor().execute(sql, parameters)

    async def begin_immediate(self, cursor: sqlite3.Cursor, sql: str) -> None:
        assert self.gate is not None
        if self.held is None:
            self.held = await self.gate.acquire(self.timeout)
        deadline = time.monotonic() + self.timeout
        delay = 0.001
        while True:
            try:
                cursor.execute(sql)  # no busy handler on these connections: fails at once if locked
                return
            except sqlite3.OperationalError as exc:
                message = str(exc)
                if ("locked" not in message and "busy" not in message) or time.monotonic() > deadline:
                    self.release()
                    raise
            await asyncio.sleep(delay)  # another process writes: let this loop serve others meanwhile
            delay = min(delay * 2, 0.02)

    def release(self) -> None:
        if self.held is not None and self.gate is not None:
            held, self.held = self.held, None
            self.gate.release(held)

    async def commit(self) -> None:
        try:
            self._conn.commit()
        finally:
            if not self._conn.in_transaction:
                self.release()

    async def rollback(self) -> None:
        try:
            self._conn.rollback()
        finally:
            self.release()

    async def create_function(self, *args: Any, **kw: Any) -> None:
        self._conn.create_function(*args, **kw)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection = None
            try:
                self._conn.close()  # an open transaction is rolled back
            finally:
                self.release()


def inline_creator(path: str, *, timeout: float, write: bool = False) -> Callable[[], Coroutine[Any, Any, InlineConnection]]:
    """An ``async_creator`` for ``create_async_engine``: connections in autocommit mode (the engine's
    ``begin`` listener issues BEGIN itself), usable from whichever thread runs the engine's loop.
    ``write``: the connections write, through the file's ``WriteGate`` and without a busy handler."""

    gate = WriteGate.for_path(path) if write else None

    async def create() -> InlineConnection:
        conn = sqlite3.connect(path, timeout=0 if write else timeout, isolation_level=None, check_same_thread=False)
        return InlineConnection(conn, gate, timeout)

    return create
