"""What the tool library runs for as long as the server does: the MCP session manager, and the loop that
delivers due reminders."""

from __future__ import annotations

import asyncio
import contextlib

from lingxi.agent.tools import mcp_server, reminders
from lingxi.db import get_database

_reminder_task: asyncio.Task[None] | None = None


def _warm_schemas() -> None:
    from lingxi.agent.tools.registry import list_tools

    for t in list_tools():
        t.input_schema()
        t.output_schema()


async def start() -> None:
    global _reminder_task
    await mcp_server.start()
    asyncio.get_running_loop().run_in_executor(None, _warm_schemas)  # the first listing need not build ~100 schemas
    if _reminder_task is None:
        _reminder_task = asyncio.get_running_loop().create_task(reminders.run_forever(get_database))


async def stop() -> None:
    global _reminder_task
    task, _reminder_task = _reminder_task, None
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    await mcp_server.stop()
