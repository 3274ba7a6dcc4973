"""Background parts of the agent core that live as long as the server (started in the app's lifespan).

Each part may define ``async def start() -> None`` and ``async def stop() -> None`` in its ``runtime``
module; they run in the server's event loop."""

from __future__ import annotations

import importlib
import importlib.util

PARTS = ("lingxi.agent.tools", "lingxi.agent.planning", "lingxi.agent.context")


def _modules() -> list[object]:
    found = []
    for part in PARTS:
        name = f"{part}.runtime"
        if importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return found


async def start() -> None:
    for module in _modules():
        if hasattr(module, "start"):
            await module.start()


async def stop() -> None:
    for module in reversed(_modules()):
        if hasattr(module, "stop"):
            await module.stop()
