"""SQLite reads without a thread hop.

aiosqlite runs each connection in its own thread and hands every call (execute, fetch, commit) across
a queue; on a busy 2-core machine each hand-over cost 0.3-0.5 ms of CPU (queue, GIL, loop wake-up),
several times what a typical indexed read costs SQLite itself. The reader engine therefore uses this
shim: the aiosqlite interface that SQLAlchemy's aiosqlite dialect expects, answered synchronously in
the event loop's thread. That is sound for reads only: in WAL mode a reader never waits for a lock, so
a read holds the loop just for its own work. Writers keep aiosqlite, because ``BEGIN IMMEDIATE`` may
wait for another process's write lock and must not stall the loop meanwhile.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Coroutine, Iterable, Sequence
from typing import Any


class InlineCursor:
    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor):
        self._cursor = cursor

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

    def __init__(self, connection: sqlite3.Connection):
        self._conn = connection
        self._connection: sqlite3.Connection | None = connection

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn.cursor())

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> InlineCursor:
        return await self.cursor().execute(sql, parameters)

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kw: Any) -> None:
        self._conn.create_function(*args, **kw)

    async def close(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()


def inline_creator(path: str, *, timeout: float) -> Callable[[], Coroutine[Any, Any, InlineConnection]]:
    """An ``async_creator`` for ``create_async_engine``: connections in autocommit mode (the engine's
    ``begin`` listener issues BEGIN itself), usable from whichever thread runs the engine's loop."""

    async def create() -> InlineConnection:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
        return InlineConnection(conn)

    return create
