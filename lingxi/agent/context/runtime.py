"""The context engine's background loop: purge history past each tenant's retention, a minute after the
server starts and then every ``PURGE_EVERY_S`` seconds (the deletes are idempotent, so several server
processes doing it is harmless)."""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from lingxi.db import get_database

log = structlog.get_logger("lingxi.agent.context")
FIRST_PURGE_S = 60.0
PURGE_EVERY_S = 6 * 3600.0
_task: asyncio.Task[None] | None = None


async def _loop() -> None:
    from lingxi.agent.context.retention import purge_all

    await asyncio.sleep(FIRST_PURGE_S)
    while True:
        try:
            result = await purge_all(get_database())
            removed = sum(v.get("events", 0) + v.get("interactions", 0) + v.get("topics", 0) for v in result.values())
            log.info("context_purged", tenants=len(result), rows=removed)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - try again next round
            log.exception("context_purge_failed")
        await asyncio.sleep(PURGE_EVERY_S)


async def start() -> None:
    global _task
    if _task is None or _task.done():
        _task = asyncio.get_running_loop().create_task(_loop())


async def stop() -> None:
    global _task
    if _task is not None:
        _task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await _task
        _task = None
