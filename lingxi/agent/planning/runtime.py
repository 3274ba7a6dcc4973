"""The plan scheduler's life in the server process (started and stopped by the app's lifespan)."""

from __future__ import annotations

from lingxi.agent.planning.scheduler import Scheduler, current, set_current
from lingxi.db import get_database


async def start() -> None:
    """Start the scheduler on the server's loop; it first recovers tasks a previous run left running."""
    if current() is not None:
        return
    set_current(await Scheduler(get_database()).start())


async def stop() -> None:
    scheduler = current()
    set_current(None)
    if scheduler is not None:
        await scheduler.stop()
