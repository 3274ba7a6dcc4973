"""Who listens to which domain events.

    @subscribe("accounts.*")
    async def on_account(event: DomainEvent, db: Database) -> None: ...

Patterns are shell-style (``fnmatch``): ``"accounts.created"``, ``"*.deleted"``, ``"*"``. Delivery is
at least once: when one subscriber of an event fails, the event is retried for all of its
subscribers, so a subscriber must be idempotent (key its work on ``event.id``).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lingxi.db import Database


@dataclass(frozen=True)
class DomainEvent:
    id: int
    topic: str
    tenant_id: uuid.UUID | None
    entity: str | None
    record_id: uuid.UUID | None
    actor_id: uuid.UUID | None
    payload: dict[str, Any]
    created_at: datetime
    attempt: int = 1


Handler = Callable[[DomainEvent, "Database"], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    pattern: str
    handler: Handler
    name: str = field(default="")

    def matches(self, topic: str) -> bool:
        return fnmatchcase(topic, self.pattern)


_subscriptions: list[Subscription] = []


def subscribe(pattern: str) -> Callable[[Handler], Handler]:
    """Register ``async def handler(event, db)`` for topics matching ``pattern``."""

    def decorator(handler: Handler) -> Handler:
        name = f"{getattr(handler, '__module__', '?')}.{getattr(handler, '__qualname__', repr(handler))}"
        _subscriptions.append(Subscription(pattern, handler, name))
        return handler

    return decorator


def unsubscribe(handler: Handler) -> None:
    _subscriptions[:] = [s for s in _subscriptions if s.handler is not handler]


def subscribers_of(topic: str) -> list[Subscription]:
    return [s for s in _subscriptions if s.matches(topic)]
