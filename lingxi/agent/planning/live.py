"""Live plan status: each committed ``PlanEvent`` is handed to the open ``/plans/{id}/events`` streams.

In one process a thread-safe hub hands events to the queues of the streams watching that plan (tasks
finish in the scheduler's loop, person results arrive in request handlers, tools may commit in worker
threads). With ``LINGXI_REDIS_URL`` set, events also go through a Redis channel so a stream served by
one process sees changes made in another. Streams re-read the event table every half second as well,
so nothing is lost when a message is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Callable
from typing import Any

import structlog

from lingxi.config import get_settings

log = structlog.get_logger("lingxi.agent.planning")
REDIS_CHANNEL = "lingxi:plan_events"
QUEUE_SIZE = 500


class Subscription:
    __slots__ = ("key", "loop", "queue")

    def __init__(self, key: str, loop: asyncio.AbstractEventLoop):
        self.key = key
        self.loop = loop
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_SIZE)


def _put(queue: asyncio.Queue[dict[str, Any]], payload: dict[str, Any]) -> None:
    with contextlib.suppress(asyncio.QueueFull):  # a stuck stream catches up from the table
        queue.put_nowait(payload)


class PlanHub:
    def __init__(self) -> None:
        self._subs: dict[str, set[Subscription]] = {}
        self._lock = threading.Lock()
        self._wakers: list[Callable[[], None]] = []
        self._redis_url: str | None = None
        self._redis_client: Any = None
        self._listeners: dict[asyncio.AbstractEventLoop, asyncio.Task[None]] = {}

    def configure(self, redis_url: str | None) -> None:
        self._redis_url = redis_url
        self._redis_client = None

    def subscribe(self, plan_id: str) -> Subscription:
        loop = asyncio.get_running_loop()
        sub = Subscription(str(plan_id), loop)
        with self._lock:
            self._subs.setdefault(sub.key, set()).add(sub)
        if self._redis_url:
            self._ensure_listener(loop)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            subs = self._subs.get(sub.key)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[sub.key]

    def add_waker(self, waker: Callable[[], None]) -> None:
        with self._lock:
            self._wakers.append(waker)

    def remove_waker(self, waker: Callable[[], None]) -> None:
        with self._lock:
            if waker in self._wakers:
                self._wakers.remove(waker)

    def wake(self) -> None:
        """Tell this process's schedulers that a task may have become ready."""
        with self._lock:
            wakers = list(self._wakers)
        for waker in wakers:
            try:
                waker()
            except Exception:  # noqa: BLE001 - a closed loop: its scheduler is gone
                log.debug("plan_waker_failed", exc_info=True)

    def publish(self, events: list[dict[str, Any]]) -> None:
        """Hand committed events to the streams of every process. Never raises."""
        if self._redis_url:
            try:
                self._redis().publish(REDIS_CHANNEL, json.dumps(events, default=str))
                return
            except Exception:  # noqa: BLE001 - this process's streams still get them
                log.warning("plan_redis_publish_failed", exc_info=True)
        self.publish_local(events)

    def publish_local(self, events: list[dict[str, Any]]) -> None:
        for event in events:
            with self._lock:
                subs = list(self._subs.get(str(event.get("plan_id")), ()))
            for sub in subs:
                try:
                    sub.loop.call_soon_threadsafe(_put, sub.queue, event)
                except RuntimeError:  # that stream's loop has closed
                    self.unsubscribe(sub)

    def _redis(self) -> Any:
        if self._redis_client is None:
            import redis

            self._redis_client = redis.Redis.from_url(self._redis_url or "", socket_timeout=2, socket_connect_timeout=2)
        return self._redis_client

    def _ensure_listener(self, loop: asyncio.AbstractEventLoop) -> None:
        task = self._listeners.get(loop)
        if task is None or task.done():
            self._listeners[loop] = loop.create_task(self._listen(self._redis_url or ""))

    async def _listen(self, url: str) -> None:
        import redis.asyncio as aioredis

        while True:
            try:
                client = aioredis.Redis.from_url(url)
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(REDIS_CHANNEL)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self.publish_local(json.loads(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - streams keep catching up from the table
                log.warning("plan_redis_listen_failed", exc_info=True)
                await asyncio.sleep(5)


_hub: PlanHub | None = None


def get_hub() -> PlanHub:
    global _hub
    if _hub is None:
        _hub = PlanHub()
        _hub.configure(get_settings().redis_url)
    return _hub
