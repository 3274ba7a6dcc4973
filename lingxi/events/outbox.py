"""Writing domain events into the outbox, in the transaction of the change that caused them.

``emit`` adds an ``OutboxEvent`` row to the session; it is flushed and committed (or rolled back)
with the change. After a commit that wrote events, the process's dispatcher is woken so delivery
does not wait for its next poll.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from lingxi.events.models import OutboxEvent
from lingxi.events.transaction import register_key, tx_list
from lingxi.kit.models import utcnow

WRITTEN = "outbox_written"
_wakers: list[threading.Event] = []
_wakers_lock = threading.Lock()


def emit(
    session: Session | AsyncSession,
    topic: str,
    *,
    tenant_id: uuid.UUID | None,
    entity: str | None = None,
    record_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    payload: dict[str, Any] | None = None,
) -> OutboxEvent:
    """Queue one domain event with the current transaction. ``payload`` must be JSON-safe."""
    row = OutboxEvent(
        tenant_id=tenant_id,
        topic=topic,
        entity=entity,
        record_id=record_id,
        actor_id=actor_id,
        payload=payload or {},
        created_at=utcnow(),
        attempts=0,
    )
    session.add(row)
    written = tx_list(session, WRITTEN)
    if not written:
        written.append(True)
    return row


def add_waker(waker: threading.Event) -> None:
    """Have ``waker`` set after every commit that wrote events (the dispatcher loop waits on it)."""
    with _wakers_lock:
        _wakers.append(waker)


def remove_waker(waker: threading.Event) -> None:
    with _wakers_lock:
        if waker in _wakers:
            _wakers.remove(waker)


def wake_dispatchers() -> None:
    with _wakers_lock:
        for waker in _wakers:
            waker.set()


register_key(WRITTEN, lambda _session, _items: wake_dispatchers())
