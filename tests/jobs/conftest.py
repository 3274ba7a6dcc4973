"""Fixtures of the job tests: a recording stand-in queue and an in-process worker."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator

import jobkit_handlers  # noqa: F401  (registers the test.* job kinds)
import pytest
from jobkit import RecordingQueue, worker_settings

from lingxi.jobs.queue import JobQueue, set_queue
from lingxi.jobs.worker import Worker, start_worker


@pytest.fixture
def recording_queue() -> Iterator[RecordingQueue]:
    queue = RecordingQueue()
    set_queue(queue)  # type: ignore[arg-type]
    yield queue
    set_queue(None)


@pytest.fixture
async def worker(settings, tmp_path) -> AsyncIterator[Worker]:
    """An in-process worker on an embedded (SQLite) queue of its own."""
    wsettings = worker_settings(settings, tmp_path)
    queue = JobQueue(wsettings, name=f"t{uuid.uuid4().hex[:8]}")
    set_queue(queue)
    w = start_worker(wsettings, queue=queue, threads=2, dispatcher=False)
    await asyncio.to_thread(w.wait_ready)
    yield w
    await asyncio.to_thread(w.stop, 20)
    set_queue(None)
