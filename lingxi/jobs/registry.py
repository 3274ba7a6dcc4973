"""Job kinds and their handlers.

    @job_handler("export")
    async def run_export(job: Job, ctx: JobContext) -> dict | None: ...

A handler returns the job's ``result`` (a JSON-safe dict) or None; raising marks the job failed with
the error text. Handlers live in the ``tasks`` module of their domain (``lingxi/<domain>/tasks.py``),
which ``load_handlers`` imports in every process that enqueues or runs jobs.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lingxi.jobs.models import Job
    from lingxi.jobs.runner import JobContext

Handler = Callable[["Job", "JobContext"], Awaitable[dict[str, Any] | None]]

_handlers: dict[str, Handler] = {}
_loaded = False


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def decorator(fn: Handler) -> Handler:
        if kind in _handlers and _handlers[kind] is not fn:
            raise ValueError(f"job kind {kind!r} already has a handler")
        _handlers[kind] = fn
        return fn

    return decorator


def load_handlers(extra_modules: tuple[str, ...] = ()) -> None:
    """Import every ``tasks`` module of the ``lingxi`` package tree (``lingxi.<domain>.tasks``,
    ``lingxi.agent.planning.tasks``...), and ``extra_modules``."""
    global _loaded
    if not _loaded:
        import lingxi

        for info in pkgutil.walk_packages(lingxi.__path__, "lingxi."):
            if not info.ispkg and info.name.endswith(".tasks"):
                importlib.import_module(info.name)
        _loaded = True
    for name in extra_modules:
        importlib.import_module(name)


def handler_for(kind: str) -> Handler | None:
    load_handlers()
    return _handlers.get(kind)


def known_kinds() -> list[str]:
    load_handlers()
    return sorted(_handlers)
