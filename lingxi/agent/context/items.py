"""The building blocks of a context: its items, their weights, and the reader that applies the actor's
scope filters and field rules to every row."""

from __future__ import annotations

import math
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.agent.context import history
from lingxi.ai.nlp.service import sentiment_service
from lingxi.authz import service as authz
from lingxi.meta.registry import registry
from lingxi.records.service import RecordService, shape
from lingxi.tenancy.context import Actor

IMPORTANCE: dict[str, tuple[float, float | None]] = {
    "intent": (0.95, None),
    "record": (0.9, None),
    "complaint": (1.0, 72),
    "unfinished_topic": (0.85, 96),
    "open_ticket": (0.8, 120),
    "selection": (0.75, None),
    "open_task": (0.7, 168),
    "opportunity": (0.7, 336),
    "playbook": (0.65, None),
    "customer_behaviour": (0.65, 48),
    "page": (0.6, None),
    "notification": (0.55, 48),
    "conversation": (0.55, 48),
    "timeline": (0.5, 168),
    "order": (0.5, 720),
    "recent_search": (0.45, 24),
    "campaign_touch": (0.4, 336),
    "recent_view": (0.4, 24),
    "time": (0.4, None),
    "recent_download": (0.35, 24),
    "recent_click": (0.3, 12),
    "user": (0.3, None),
    "role": (0.3, None),
    "channel": (0.3, None),
    "department": (0.2, None),
    "locale": (0.2, None),
    "device": (0.2, None),
}
KINDS = tuple(IMPORTANCE)
OPEN_TICKET = ("new", "open", "pending")
OPEN_TASK = ("planned", "in_progress")
COMPLAINT_CATEGORIES = ("投诉",)
NEGATIVE = -0.3
BEHAVIOUR_DAYS = 7
CUSTOMER_DAYS = 30
RECORD_DAYS = 90
MAX_SELECTION = 50
MAX_ITEMS = 120
_SENTIMENTS: OrderedDict[str, float] = OrderedDict()
# The user's name, title, department and teams are kept this long (seconds) per process.
PROFILE_SECONDS = 30.0
PROFILE_CACHE: dict[tuple[Any, ...], tuple[float, tuple[Any, ...]]] = {}
BEHAVIOUR_CAPS = {"recent_view": 8, "recent_click": 5, "recent_search": 5, "recent_download": 3}


@cache
def cols(model: type[Any]) -> tuple[Any, ...]:
    """A model's columns: rows of these read much faster than ORM objects, and ``shape`` takes either."""
    return tuple(getattr(model, attr.key) for attr in sa_inspect(model).column_attrs)


@dataclass
class ContextItem:
    kind: str
    value: Any
    weight: float
    source: str
    why: str
    at: datetime | None = None


@dataclass
class Context:
    generated_at: datetime
    items: list[ContextItem] = field(default_factory=list)
    intent: dict[str, Any] | None = None
    record: dict[str, Any] | None = None
    consulted: dict[str, int] = field(default_factory=dict)
    took_ms: float = 0.0

    @property
    def kinds(self) -> list[str]:
        return sorted({i.kind for i in self.items})


def weigh(
    kind: str, at: datetime | None, now: datetime, *, sentiment: float | None = None, boost: float = 1.0
) -> float:
    importance, half_life = IMPORTANCE[kind]
    weight = importance * boost
    if half_life is not None and at is not None:
        hours = max((now - at).total_seconds() / 3600, 0.0)
        weight *= math.pow(0.5, hours / half_life)
    if sentiment is not None and sentiment < 0:
        weight *= 1 + 0.5 * min(-sentiment, 1.0)
    return round(min(weight, 1.0), 4)


def ago(at: datetime | None, now: datetime) -> str:
    if at is None:
        return "now"
    minutes = max(int((now - at).total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // 1440} days ago"


def text_sentiment(text: str) -> float:
    """Sentiment score in [-1, 1] of a short business text (cached per text)."""
    text = text.strip()[:500]
    if not text:
        return 0.0
    if text in _SENTIMENTS:
        _SENTIMENTS.move_to_end(text)
        return _SENTIMENTS[text]
    score = float(sentiment_service().analyse(text).score)
    _SENTIMENTS[text] = score
    if len(_SENTIMENTS) > 5000:
        _SENTIMENTS.popitem(last=False)
    return score


class Assembler:
    def __init__(self, session: AsyncSession, actor: Actor, now: datetime):
        self.session = session
        self.actor = actor
        self.now = now
        self.items: list[ContextItem] = []
        self.consulted: set[str] = set()
        self._plans: dict[tuple[str, tuple[str, ...]], list[Any]] = {}

    def consult(self, *kinds: str) -> None:
        """Note the kinds looked at for this interaction, found or not."""
        self.consulted.update(kinds)

    def add(self, kind: str, value: Any, source: str, why: str, at: datetime | None = None, **weighing: Any) -> None:
        self.consulted.add(kind)
        self.items.append(ContextItem(kind, value, weigh(kind, at, self.now, **weighing), source, why, at))

    def readable(self, name: str) -> bool:
        return authz.scope_of(self.actor, name, "read") != "none"

    async def plan(self, name: str, only: tuple[str, ...]) -> list[Any]:
        key = (name, only)
        if key not in self._plans:
            entity = registry.get(name)
            assert entity is not None
            self._plans[key] = await RecordService(self.session, self.actor, entity).plan(list(only))
        return self._plans[key]

    async def view(self, name: str, row: Any, only: tuple[str, ...]) -> dict[str, Any]:
        """``row`` as the actor may see it: hidden fields left out, masked ones masked."""
        return shape(row, await self.plan(name, only))

    async def visible_ids(self, name: str, ids: set[uuid.UUID]) -> set[uuid.UUID]:
        """Which of ``ids`` (taken from this tenant's own rows) the actor may read; no query when the
        actor reads every row of the entity."""
        entity = registry.get(name)
        if entity is None or not ids:
            return set()
        if authz.scope_of(self.actor, entity, "read") == "all":
            return set(ids)
        return await history.readable_ids(self.session, self.actor, entity, ids)

    def scope(self, name: str) -> ColumnElement[bool]:
        entity = registry.get(name)
        assert entity is not None
        return authz.scope_filter(self.actor, entity, "read")


def links_of(entity: str, record: dict[str, Any]) -> dict[str, uuid.UUID]:
    """The ids a record ties to: its account, contact, lead, deal, ticket (only visible fields)."""
    own = {
        "accounts": "account_id",
        "contacts": "contact_id",
        "leads": "lead_id",
        "opportunities": "opportunity_id",
        "tickets": "ticket_id",
        "orders": "order_id",
    }
    keys: dict[str, uuid.UUID] = {}
    if entity in own:
        keys[own[entity]] = uuid.UUID(str(record["id"]))
    for name in ("account_id", "contact_id", "lead_id", "opportunity_id", "ticket_id"):
        value = record.get(name)
        if value and name not in keys:
            try:
                keys[name] = uuid.UUID(str(value))
            except ValueError:  # a masked value
                continue
    return keys
