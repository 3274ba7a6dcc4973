"""SQLite writes in the event loop's thread (lingxi.kit.sqlite_inline): many concurrent writers of one
process all commit; a writer waiting for another process's lock never freezes the loop; a lock held past
the wait limit gives the client 503 ``database_busy`` and loses nothing."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from lingxi.config import Settings
from lingxi.db import Database

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("LINGXI_TEST_DATABASE_URL")), reason="SQLite's write lock: nothing to test on PostgreSQL"
)


@pytest.fixture
async def db(tmp_path: Path):
    database = Database(Settings(data_dir=tmp_path, database_url=None))
    async with database.writer.begin() as conn:
        await conn.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"))
    yield database
    await database.dispose()


async def _insert(db: Database, body: str, *, pause: float = 0.0) -> None:
    async with db.writer.begin() as conn:
        await conn.execute(text("INSERT INTO note (body) VALUES (:b)"), {"b": body})
        if pause:
            await asyncio.sleep(pause)  # a transaction that suspends keeps the others queued, not failing
        await conn.execute(text("UPDATE note SET body = body || '!' WHERE body = :b"), {"b": body})


async def _count(db: Database) -> int:
    async with db.reader.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM note WHERE body LIKE '%!'"))).scalar_one()


def _hold_lock(path: str, seconds: float, started: threading.Event) -> None:
    """Another process's writer, as far as SQLite can tell: its own connection holding the write lock."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO note (body) VALUES ('other process!')")
    started.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


async def test_many_concurrent_writers_all_commit(db):
    await asyncio.gather(*(_insert(db, f"n{i}", pause=0.001 if i % 5 == 0 else 0.0) for i in range(120)))
    assert await _count(db) == 120


async def test_waiting_for_another_process_keeps_the_loop_serving(db, tmp_path):
    started = threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(str(tmp_path / "lingxi.db"), 0.8, started))
    holder.start()
    await asyncio.to_thread(started.wait)
    gaps: list[float] = []

    async def ticker() -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.01)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    tick = asyncio.create_task(ticker())
    t0 = time.monotonic()
    await _insert(db, "mine")
    waited = time.monotonic() - t0
    tick.cancel()
    holder.join()
    assert waited >= 0.5  # it really waited for the other writer...
    assert max(gaps) < 0.25  # ...while the loop went on serving (with a blocking wait it froze for 0.8 s)
    assert await _count(db) == 2


async def test_a_lock_held_too_long_is_a_503_and_loses_nothing(client, tenant, database, monkeypatch):
    if not database.is_sqlite:
        pytest.skip("SQLite only")
    import lingxi.kit.sqlite_inline as inline

    original = inline.InlineConnection.begin_immediate

    async def impatient(self, cursor, sql):  # wait 0.3 s instead of 30 for the other writer
        self.timeout = 0.3
        try:
            await original(self, cursor, sql)
        finally:
            self.timeout = 30.0

    before = await client.get("/api/v1/accounts", headers=tenant.headers())
    path = database.settings.sqlalchemy_url.split("///", 1)[1]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        monkeypatch.setattr(inline.InlineConnection, "begin_immediate", impatient)
        r = await client.post("/api/v1/accounts", json={"name": "锁等待测试有限公司"}, headers=tenant.headers())
    finally:
        monkeypatch.undo()
        conn.execute("ROLLBACK")
        conn.close()
    assert r.status_code == 503, r.text
    assert r.json()["error"]["code"] == "database_busy"
    assert r.headers["retry-after"] == "1"
    after = await client.get("/api/v1/accounts", headers=tenant.headers())
    assert after.json()["data"] == before.json()["data"]
    ok = await client.post("/api/v1/accounts", json={"name": "锁等待测试有限公司"}, headers=tenant.headers())
    assert ok.status_code == 201, ok.text
