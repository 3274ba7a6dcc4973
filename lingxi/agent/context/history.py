"""Behaviour events, conversation turns and long-term memory: writing them and reading them back.

Every read is cut at the tenant's retention (rows past it are invisible before the purge deletes them).
A user reads their own events and turns; events and turns about a record are also readable by whoever
may read that record. Nothing names a record the writer may not read.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.agent.context.models import BehaviourEvent, Interaction, MemoryTopic
from lingxi.ai.nlp.service import intent_model, sentiment
from lingxi.audit.changes import json_safe
from lingxi.authz import service as authz
from lingxi.errors import BadRequest, NotFound, ValidationFailed
from lingxi.kit.models import utcnow
from lingxi.meta.registry import Entity, registry
from lingxi.tenancy.context import Actor

# Intents that leave something to do: a turn with one opens (or refreshes) a memory topic.
ACTIONABLE = frozenset(
    {
        "resolve_problem",
        "seek_advice",
        "schedule_task",
        "create_record",
        "update_record",
        "analyze_data",
        "generate_content",
    }
)
FUTURE_SKEW = timedelta(minutes=5)


def me(actor: Actor) -> uuid.UUID:
    if actor.user_id is None:
        raise BadRequest("the context belongs to a signed-in user", code="user_required")
    return actor.user_id


def entity_of(name: str) -> Entity:
    entity = registry.get(name)
    if entity is None:
        raise ValidationFailed(f"unknown entity {name!r}", code="unknown_entity", details=[{"field": "entity"}])
    return entity


async def readable_ids(session: AsyncSession, actor: Actor, entity: Entity, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``ids`` the actor may read (one query)."""
    wanted = list(set(ids))
    if not wanted or authz.scope_of(actor, entity, "read") == "none":
        return set()
    rows = await session.scalars(
        select(entity.model.id).where(entity.model.id.in_(wanted), authz.scope_filter(actor, entity, "read"))
    )
    return set(rows.all())


async def require_readable(session: AsyncSession, actor: Actor, entity_name: str, record_id: uuid.UUID) -> Entity:
    entity = entity_of(entity_name)
    authz.require(actor, entity, "read")
    if record_id not in await readable_ids(session, actor, entity, [record_id]):
        raise NotFound(f"{entity.name} {record_id} not found", code="record_not_found")
    return entity


def aware(at: datetime | None) -> datetime | None:
    """A time without a zone is taken as UTC."""
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def cutoff(retention_days: int, now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(days=retention_days)


def module_of(page: str | None) -> str | None:
    """The app module a page belongs to: ``/records/tickets/…`` → ``tickets``, ``/ai/chat`` → ``ai``."""
    if not page:
        return None
    try:
        path = urlsplit(page).path
    except ValueError:  # not a URL (e.g. an unclosed IPv6 bracket)
        path = page
    parts = [p for p in path.split("/") if p and p not in ("app", "records", "r")]
    return parts[0][:64] if parts else "home"


# -- cursors ---------------------------------------------------------------------------------------


def encode_cursor(at: datetime, row_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{row_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, row_id = raw.split("|", 1)
        return datetime.fromisoformat(at), uuid.UUID(row_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("invalid cursor", code="invalid_cursor") from exc


def _page(rows: Sequence[Any], limit: int, at: str) -> tuple[list[Any], str | None]:
    rows = list(rows)
    if len(rows) > limit:
        last = rows[limit - 1]
        return rows[:limit], encode_cursor(getattr(last, at), last.id)
    return rows, None


def _before(column: Any, id_column: Any, cursor: str | None) -> list[ColumnElement[bool]]:
    if not cursor:
        return []
    at, last_id = decode_cursor(cursor)
    return [or_(column < at, and_(column == at, id_column < last_id))]


# -- behaviour events ------------------------------------------------------------------------------


async def ingest_events(session: AsyncSession, actor: Actor, events: Sequence[dict[str, Any]]) -> list[BehaviourEvent]:
    """Store a batch; all or nothing. Events naming a record need read access to it."""
    user_id = me(actor)
    now = utcnow()
    by_entity: dict[str, set[uuid.UUID]] = {}
    for index, event in enumerate(events):
        if event.get("record_id") is not None and not event.get("entity"):
            raise ValidationFailed("record_id needs entity", code="entity_required", details={"index": index})
        if event.get("entity"):
            entity = entity_of(event["entity"])
            if event.get("record_id") is not None:
                by_entity.setdefault(entity.name, set()).add(event["record_id"])
        if event.get("subject") == "customer" and event.get("record_id") is None:
            raise ValidationFailed(
                "a customer's event names the customer's record", code="record_required", details={"index": index}
            )
    for name, ids in by_entity.items():
        missing = ids - await readable_ids(session, actor, entity_of(name), ids)
        if missing:
            raise NotFound(
                f"{name} not found", code="record_not_found", details={"entity": name, "ids": sorted(map(str, missing))}
            )
    rows = []
    for event in events:
        at = aware(event.get("at")) or now
        if at > now + FUTURE_SKEW:
            at = now
        rows.append(
            BehaviourEvent(
                user_id=user_id,
                subject=event.get("subject") or "user",
                kind=event["kind"],
                page=event.get("page"),
                module=event.get("module") or module_of(event.get("page")),
                entity=event.get("entity"),
                record_id=event.get("record_id"),
                query=event.get("query"),
                target=event.get("target"),
                duration_ms=event.get("duration_ms"),
                channel=event.get("channel") or "web",
                device=event.get("device"),
                data=json_safe(event.get("data") or {}),
                occurred_at=at,
                received_at=now,
            )
        )
    session.add_all(rows)
    await session.flush()
    return rows


async def list_events(
    session: AsyncSession,
    actor: Actor,
    *,
    retention_days: int,
    kind: str | None = None,
    entity: str | None = None,
    record_id: uuid.UUID | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[BehaviourEvent], str | None]:
    """Own events, or every event about a record the actor may read; newest first."""
    where: list[ColumnElement[bool]] = [BehaviourEvent.occurred_at >= cutoff(retention_days)]
    if record_id is not None:
        if not entity:
            raise ValidationFailed("record_id needs entity", code="entity_required")
        await require_readable(session, actor, entity, record_id)
        where += [BehaviourEvent.entity == entity, BehaviourEvent.record_id == record_id]
    else:
        where.append(BehaviourEvent.user_id == me(actor))
        if entity:
            where.append(BehaviourEvent.entity == entity)
    if kind:
        where.append(BehaviourEvent.kind == kind)
    where += _before(BehaviourEvent.occurred_at, BehaviourEvent.id, cursor)
    rows = await session.scalars(
        select(BehaviourEvent)
        .where(*where)
        .order_by(BehaviourEvent.occurred_at.desc(), BehaviourEvent.id.desc())
        .limit(limit + 1)
    )
    return _page(rows.all(), limit, "occurred_at")


# -- conversation turns and memory -----------------------------------------------------------------


async def record_interaction(
    session: AsyncSession,
    actor: Actor,
    *,
    text: str,
    role: str = "user",
    channel: str = "web",
    conversation_id: uuid.UUID | None = None,
    page: str | None = None,
    entity: str | None = None,
    record_id: uuid.UUID | None = None,
    resolved: bool = False,
    at: datetime | None = None,
) -> Interaction:
    """Store a turn, classified (intent for the user's and customer's turns, sentiment for all). A turn
    with an actionable intent opens a memory topic, or refreshes the open one with the same intent on the
    same record; ``resolved`` closes the conversation's open topics."""
    user_id = me(actor)
    if record_id is not None:
        if not entity:
            raise ValidationFailed("record_id needs entity", code="entity_required")
        await require_readable(session, actor, entity, record_id)
    elif entity:
        entity_of(entity)
    now = utcnow()
    at = min(aware(at) or now, now)
    conversation_id = conversation_id or uuid.uuid4()
    intent_label: str | None = None
    confidence: float | None = None
    if role in ("user", "customer"):
        prediction = (await intent_model(session, actor)).predict(text)
        intent_label, confidence = prediction.label, round(float(prediction.confidence), 4)
    mood = await sentiment(text)
    turn = Interaction(
        user_id=user_id,
        conversation_id=conversation_id,
        role=role,
        channel=channel,
        text=text,
        intent=intent_label,
        intent_confidence=confidence,
        sentiment=mood.label,
        sentiment_score=mood.score,
        page=page,
        entity=entity,
        record_id=record_id,
        created_at=at,
    )
    if intent_label in ACTIONABLE and not resolved:
        turn.topic_id = (await _open_topic(session, user_id, turn, at)).id
    session.add(turn)
    if resolved:
        await session.execute(
            update(MemoryTopic)
            .where(
                MemoryTopic.user_id == user_id,
                MemoryTopic.conversation_id == conversation_id,
                MemoryTopic.status == "open",
            )
            .values(status="closed", closed_at=now, resolution=text[:2000])
            .execution_options(synchronize_session=False)
        )
    await session.flush()
    return turn


async def _open_topic(session: AsyncSession, user_id: uuid.UUID, turn: Interaction, at: datetime) -> MemoryTopic:
    topic = await session.scalar(
        select(MemoryTopic)
        .where(
            MemoryTopic.user_id == user_id,
            MemoryTopic.status == "open",
            MemoryTopic.intent == turn.intent,
            MemoryTopic.entity == turn.entity if turn.entity else MemoryTopic.entity.is_(None),
            MemoryTopic.record_id == turn.record_id if turn.record_id else MemoryTopic.record_id.is_(None),
        )
        .order_by(MemoryTopic.last_seen_at.desc())
        .limit(1)
    )
    if topic is None:
        topic = MemoryTopic(
            user_id=user_id,
            title=turn.text.strip()[:300],
            intent=turn.intent or "other",
            status="open",
            entity=turn.entity,
            record_id=turn.record_id,
            conversation_id=turn.conversation_id,
            mentions=1,
            first_seen_at=at,
            last_seen_at=at,
        )
        session.add(topic)
        await session.flush()
        return topic
    topic.mentions += 1
    topic.last_seen_at = max(topic.last_seen_at, at)
    topic.conversation_id = turn.conversation_id
    return topic


async def list_history(
    session: AsyncSession,
    actor: Actor,
    *,
    retention_days: int,
    entity: str | None = None,
    record_id: uuid.UUID | None = None,
    conversation_id: uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Interaction], str | None]:
    """Turns, newest first: the actor's own, or all turns about a record the actor may read."""
    where: list[ColumnElement[bool]] = [Interaction.created_at >= cutoff(retention_days)]
    if record_id is not None:
        if not entity:
            raise ValidationFailed("record_id needs entity", code="entity_required")
        await require_readable(session, actor, entity, record_id)
        where += [Interaction.entity == entity, Interaction.record_id == record_id]
    else:
        where.append(Interaction.user_id == me(actor))
        if entity:
            where.append(Interaction.entity == entity)
    if conversation_id is not None:
        where.append(Interaction.conversation_id == conversation_id)
    if since is not None:
        where.append(Interaction.created_at >= since)
    if until is not None:
        where.append(Interaction.created_at < until)
    where += _before(Interaction.created_at, Interaction.id, cursor)
    rows = await session.scalars(
        select(Interaction)
        .where(*where)
        .order_by(Interaction.created_at.desc(), Interaction.id.desc())
        .limit(limit + 1)
    )
    return _page(rows.all(), limit, "created_at")


async def list_topics(
    session: AsyncSession,
    actor: Actor,
    *,
    retention_days: int,
    status: str | None = "open",
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[MemoryTopic], str | None]:
    where: list[ColumnElement[bool]] = [
        MemoryTopic.user_id == me(actor),
        MemoryTopic.last_seen_at >= cutoff(retention_days),
    ]
    if status:
        where.append(MemoryTopic.status == status)
    where += _before(MemoryTopic.last_seen_at, MemoryTopic.id, cursor)
    rows = await session.scalars(
        select(MemoryTopic)
        .where(*where)
        .order_by(MemoryTopic.last_seen_at.desc(), MemoryTopic.id.desc())
        .limit(limit + 1)
    )
    return _page(rows.all(), limit, "last_seen_at")


async def set_topic_status(
    session: AsyncSession, actor: Actor, topic_id: uuid.UUID, status: str, resolution: str | None = None
) -> MemoryTopic:
    topic = await session.scalar(
        select(MemoryTopic).where(MemoryTopic.id == topic_id, MemoryTopic.user_id == me(actor))
    )
    if topic is None:
        raise NotFound("no such memory topic", code="topic_not_found", details={"id": str(topic_id)})
    if status == "closed" and topic.status != "closed":
        topic.status, topic.closed_at, topic.resolution = "closed", utcnow(), resolution
    elif status == "open" and topic.status != "open":
        topic.status, topic.closed_at, topic.last_seen_at = "open", None, utcnow()
    await session.flush()
    return topic
