"""Live delivery of new notifications to open ``/notifications/stream`` connections.

In one process a ``LiveHub`` hands each message to the queues of that user's open streams; it is
thread-safe, since jobs commit in worker threads with their own event loops. With ``LINGXI_REDIS_URL``
set, messages go through a Redis channel instead, and each process's listener hands them to its own
streams, so a notification raised by a worker process reaches a stream served by an API process.
Streams also re-read the table now and then (``lingxi.notifications.endpoints``), so nothing is lost
when a message is dropped (a full queue, Redis down, another process on SQLite).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import uuid
from typing import Any

import structlog

from lingxi.config import get_settings

log = structlog.get_logger("lingxi.notifications")
REDIS_CHANNEL = "lingxi:notifications"
QUEUE_SIZE = 200

UserKey = tuple[str, str]


class Subscription:
    """One open stream: its user and the queue its messages arrive on."""

    __slots__ = ("key", "queue", "loop")

    def __init__(self, key: UserKey, loop: asyncio.AbstractEventLoop):
        self.key = key
        self.loop = loop
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_SIZE)


def _put(queue: asyncio.Queue[dict[str, Any]], payload: dict[str, Any]) -> None:
    with contextlib.suppress(asyncio.QueueFull):  # a stuck stream: it catches up from the table
        queue.put_nowait(payload)


class LiveHub:
    def __init__(self) -> None:
        self._subs: dict[UserKey, set[Subscription]] = {}
        self._lock = threading.Lock()
        self._redis_url: str | None = None
        self._redis_client: Any = None
        self._listeners: dict[asyncio.AbstractEventLoop, asyncio.Task[None]] = {}

    def configure(self, redis_url: str | None) -> None:
        self._redis_url = redis_url
        self._redis_client = None

    def subscribe(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> Subscription:
        loop = asyncio.get_running_loop()
        sub = Subscription((str(tenant_id), str(user_id)), loop)
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

    def subscribers(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> int:
        with self._lock:
            return len(self._subs.get((str(tenant_id), str(user_id)), ()))

    def publish(self, payload: dict[str, Any]) -> None:
        """Deliver ``payload`` (a notification as JSON, with ``tenant_id`` and ``user_id``) to its user's
        streams in every process. Never raises: live delivery is best effort on top of the table."""
        if self._redis_url:
            try:
                self._redis().publish(REDIS_CHANNEL, json.dumps(payload, default=str))
                return
            except Exception:  # noqa: BLE001 - fall back to this process's streams
                log.warning("notification_redis_publish_failed", exc_info=True)
        self.publish_local(payload)

    def publish_local(self, payload: dict[str, Any]) -> None:
        key = (str(payload.get("tenant_id")), str(payload.get("user_id")))
        with self._lock:
            subs = list(self._subs.get(key, ()))
        for sub in subs:
            try:
                sub.loop.call_soon_threadsafe(_put, sub.queue, payload)
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
            except Exception:  # noqa: BLE001 - Redis away: streams keep catching up from the table
                log.warning("notification_redis_listen_failed", exc_info=True)
                await asyncio.sleep(5)


_hub: LiveHub | None = None


def get_hub() -> LiveHub:
    global _hub
    if _hub is None:
        _hub = LiveHub()
        _hub.configure(get_settings().redis_url)
    return _hub
